package dev.conveyor.server.worker;

import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.family.ClientChannels;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
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
 * @param wakeupChannels how to connect to the wake-up servers: TLS and credentials, or plaintext
 */
public record DaemonConfig(DatabaseConfig database, List<PoolSpec> pools, WorkerSettings settings,
        List<String> wakeupServers, InetSocketAddress httpAddress, ClientChannels wakeupChannels) {
    /** Wake-up channels without TLS or credentials, to servers started with {@code --plaintext}. */
    public static final ClientChannels PLAINTEXT =
            target -> Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();

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
        wakeupChannels = wakeupChannels == null ? PLAINTEXT : wakeupChannels;
    }

    /** With plaintext wake-up channels. */
    public DaemonConfig(DatabaseConfig database, List<PoolSpec> pools, WorkerSettings settings,
            List<String> wakeupServers, InetSocketAddress httpAddress) {
        this(database, pools, settings, wakeupServers, httpAddress, PLAINTEXT);
    }

    public int slots() {
        return pools.stream().mapToInt(PoolSpec::slots).sum();
    }
}
