package dev.conveyor.server.worker;

import dev.conveyor.core.db.DatabaseConfig;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a {@link WorkerDaemon} runs and where it reports.
 *
 * @param database      how to reach the database; its schema is validated, never migrated
 * @param pools         one per queue
 * @param settings      what every pool shares: lease, shutdown timeout, polling, reaper
 * @param wakeupServers queue servers ({@code host:port}) whose submissions wake the pools at once;
 *                      without any, a job submitted elsewhere starts at the next idle poll
 * @param httpAddress   where to serve {@code /metrics}, {@code /healthz} and {@code /readyz}, or
 *                      null for no HTTP port
 */
public record DaemonConfig(DatabaseConfig database, List<PoolSpec> pools, WorkerSettings settings,
        List<String> wakeupServers, InetSocketAddress httpAddress) {

    public DaemonConfig {
        if (database == null || settings == null) {
            throw new IllegalArgumentException("database and settings are required");
        }
        pools = pools == null ? List.of() : List.copyOf(pools);
        if (pools.isEmpty()) {
            throw new IllegalArgumentException("a worker needs at least one pool (--pool queue[:slots])");
        }
        if (pools.stream().map(PoolSpec::queue).distinct().count() != pools.size()) {
            throw new IllegalArgumentException("each queue may have one pool, got " + pools);
        }
        wakeupServers = wakeupServers == null ? List.of() : List.copyOf(wakeupServers);
    }

    public int slots() {
        return pools.stream().mapToInt(PoolSpec::slots).sum();
    }
}
