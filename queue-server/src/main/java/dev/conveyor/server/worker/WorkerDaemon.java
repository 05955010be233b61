package dev.conveyor.server.worker;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.WorkerInfo;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
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
    private final ServerWakeups wakeups;
    private final ScheduledExecutorService registryHeartbeat;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private WorkerDaemon(String id, Database database, QueueManager queueManager, WorkerPools pools,
            ServerWakeups wakeups, ScheduledExecutorService registryHeartbeat) {
        this.id = id;
        this.database = database;
        this.queueManager = queueManager;
        this.pools = pools;
        this.wakeups = wakeups;
        this.registryHeartbeat = registryHeartbeat;
    }

    /**
     * Starts a daemon serving {@code specs}; returns once its pools claim.
     *
     * @param database      how to reach the database; its schema is validated, never migrated
     * @param wakeupServers queue servers ({@code host:port}) whose submissions wake the pools at once;
     *                      without any, a job submitted elsewhere waits for the next idle poll
     */
    public static WorkerDaemon start(DatabaseConfig database, List<PoolSpec> specs, WorkerSettings settings,
            List<String> wakeupServers) {
        return start(database, specs, settings, wakeupServers, new SimpleMeterRegistry());
    }

    static WorkerDaemon start(DatabaseConfig dbConfig, List<PoolSpec> specs, WorkerSettings settings,
            List<String> wakeupServers, MeterRegistry meters) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a worker needs at least one pool (--pool queue[:slots])");
        }
        if (specs.stream().map(PoolSpec::queue).distinct().count() != specs.size()) {
            throw new IllegalArgumentException("each queue may have one pool, got " + specs);
        }
        String id = newId();
        Database database = Database.open(dbConfig.withMigrate(false));
        try {
            QueueManager queueManager = new QueueManager(database);
            String poolList = specs.stream().map(PoolSpec::toString).collect(Collectors.joining(","));
            int slots = specs.stream().mapToInt(PoolSpec::slots).sum();
            queueManager.registerWorker(new WorkerInfo(id, host(), ProcessHandle.current().pid(), poolList, slots,
                    null, null, null, true));
            WorkerPools pools = WorkerPools.start(id, queueManager, database, meters, specs, settings);
            ServerWakeups wakeups = wakeupServers.isEmpty() ? null : new ServerWakeups(id, wakeupServers,
                    specs.stream().map(PoolSpec::queue).toList(), pools::wake);
            ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("conveyor-worker-registry").factory());
            WorkerDaemon daemon = new WorkerDaemon(id, database, queueManager, pools, wakeups, heartbeat);
            long every = REGISTRY_HEARTBEAT.toMillis();
            heartbeat.scheduleWithFixedDelay(daemon::beat, every, every, TimeUnit.MILLISECONDS);
            log.info("worker {} serving queues [{}] ({} slots), job types {}, lease {}, database {}, wake-ups from {}",
                    id, poolList, slots, pools.types(), settings.leaseDuration(),
                    DatabaseConfig.redact(dbConfig.jdbcUrl()), wakeupServers.isEmpty() ? "none" : wakeupServers);
            return daemon;
        } catch (RuntimeException e) {
            database.close();
            throw e;
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
