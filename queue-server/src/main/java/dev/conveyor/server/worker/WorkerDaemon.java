package dev.conveyor.server.worker;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.WorkerInfo;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.server.Families;
import dev.conveyor.server.http.HttpEndpoints;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: connects to the database (validating, never migrating, its schema), registers
 * itself in the worker registry and keeps its entry alive, runs the given pools and a lease
 * reaper, and stops gracefully on {@link #close()} (which the CLI calls from a shutdown hook, so
 * SIGTERM drains the pools and hands unfinished jobs back).
 */
public final class WorkerDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerDaemon.class);
    /** A third of the registry's default liveness window (30 s): two missed beats are not yet "dead". */
    static final Duration REGISTRY_HEARTBEAT = Duration.ofSeconds(10);

    private final String id;
    private final Database database;
    private final QueueManager queueManager;
    private final WorkerPools pools;
    /** Null when no wake-up servers were given. */
    private final ServerWakeups wakeups;
    /** Null when no HTTP port was asked for. */
    private final HttpEndpoints http;
    private final ScheduledExecutorService registryHeartbeat;
    /** Set by the first close() (the shutdown hook, or a caller); later calls return at once. */
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Counted down by close() when done; awaited by the thread that started the daemon. */
    private final CountDownLatch terminated = new CountDownLatch(1);

    private WorkerDaemon(String id, Database database, QueueManager queueManager, WorkerPools pools,
            ServerWakeups wakeups, HttpEndpoints http, ScheduledExecutorService registryHeartbeat) {
        this.id = id;
        this.database = database;
        this.queueManager = queueManager;
        this.pools = pools;
        this.wakeups = wakeups;
        this.http = http;
        this.registryHeartbeat = registryHeartbeat;
    }

    /** Starts a daemon; returns once its pools claim. */
    public static WorkerDaemon start(DaemonConfig config) throws IOException {
        String id = newId();
        Database database = Database.open(Families.withFamilies(config.database()).withMigrate(false));
        List<AutoCloseable> started = new ArrayList<>();
        try {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            QueueManager queueManager = new QueueManager(database);
            WorkerPools pools = WorkerPools.start(id, queueManager, database, meters, config.pools(),
                    config.settings());
            started.add(pools);
            ServerWakeups wakeups = config.wakeupServers().isEmpty() ? null : new ServerWakeups(id,
                    config.wakeupServers(), config.wakeupChannels(), config.pools().stream().map(PoolSpec::queue).toList(),
                    pools::wake);
            if (wakeups != null) {
                started.add(wakeups);
            }
            HttpEndpoints http = config.httpAddress() == null ? null
                    : HttpEndpoints.start(config.httpAddress(), meters, database::isReachable);
            if (http != null) {
                started.add(http);
            }
            // Registered last: an entry in the registry means the pools are claiming.
            String poolList = config.pools().stream().map(PoolSpec::toString).collect(Collectors.joining(","));
            queueManager.registerWorker(new WorkerInfo(id, host(), ProcessHandle.current().pid(), poolList,
                    config.slots(), null, null, null, true));
            ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("conveyor-worker-registry").factory());
            WorkerDaemon daemon = new WorkerDaemon(id, database, queueManager, pools, wakeups, http, heartbeat);
            long every = REGISTRY_HEARTBEAT.toMillis();
            heartbeat.scheduleWithFixedDelay(daemon::beat, every, every, TimeUnit.MILLISECONDS);
            log.info("worker {} serving queues [{}] ({} slots), job types {}, lease {}, database {}, wake-ups from {}, "
                    + "HTTP {}", id, poolList, config.slots(), pools.types(), config.settings().leaseDuration(),
                    DatabaseConfig.redact(config.database().jdbcUrl()),
                    config.wakeupServers().isEmpty() ? "none" : config.wakeupServers(),
                    http == null ? "off" : "port " + http.port());
            return daemon;
        } catch (IOException | RuntimeException e) {
            started.reversed().forEach(WorkerDaemon::closeQuietly);
            database.close();
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            log.warn("while abandoning a failed start: {}", e.toString());
        }
    }

    /** This daemon's id in the worker registry; its pools own leases as {@code id/queue}. */
    public String id() {
        return id;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    private void beat() {
        try {
            queueManager.heartbeatWorker(id);
        } catch (RuntimeException e) {
            log.warn("worker registry heartbeat failed: {}", e.toString());
        }
    }

    /** Stops claiming, drains the pools (handing back what does not finish), deregisters, disconnects. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("worker {} stopping", id);
        try {
            if (wakeups != null) {
                wakeups.close();
            }
            pools.close();
            registryHeartbeat.shutdown();
            try {
                queueManager.deregisterWorker(id);
            } catch (RuntimeException e) {
                log.warn("could not deregister worker {}: {}", id, e.toString());
            }
            if (http != null) {
                http.close();
            }
            database.close();
            log.info("worker {} stopped", id);
        } finally {
            terminated.countDown();
        }
    }

    private static String newId() {
        String host = host();
        String shortHost = host.length() > 40 ? host.substring(0, 40) : host;
        return shortHost + "-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
