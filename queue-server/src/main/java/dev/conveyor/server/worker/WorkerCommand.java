package dev.conveyor.server.worker;

import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.server.cli.DbConnectionOptions;
import dev.conveyor.server.cli.DurationConverter;
import dev.conveyor.server.security.ClientSecurityOptions;
import dev.conveyor.worker.LeaseReaper;
import dev.conveyor.worker.RetentionTask;
import dev.conveyor.worker.WorkerPoolConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code conveyor worker}: a worker daemon in this process until SIGTERM (or Ctrl-C), which drains
 * its pools and hands unfinished jobs back. The database password is never a flag: it comes from
 * {@code CONVEYOR_DB_PASSWORD} or from the file {@code --db-password-file} names. The wake-up
 * channels take the client's TLS and token flags ({@code --ca}, {@code --token-file}, ...).
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Runs worker pools against the database until stopped (SIGTERM drains them).")
public final class WorkerCommand implements Callable<Integer> {
    static final String PASSWORD_ENV = DbConnectionOptions.PASSWORD_ENV;
    /** Each pool's two claimers, two completion threads and heartbeat hold a connection beside its handlers'. */
    private static final int CONNECTIONS_PER_POOL = 5;
    /** The lease reaper's and the worker-registry heartbeat's. */
    private static final int CONNECTIONS_PER_DAEMON = 2;

    @Mixin
    DbConnectionOptions db;

    /** For the wake-up channels to the servers of {@code --wakeups-from}. */
    @Mixin
    ClientSecurityOptions wakeupSecurity;

    @Option(names = "--db-pool-size", paramLabel = "N",
            description = "Database connections (default: slots + 3 per pool + 2).")
    Integer dbPoolSize;

    @Option(names = "--pool", paramLabel = "QUEUE[:SLOTS]", split = ",", converter = PoolSpecConverter.class,
            defaultValue = "${env:CONVEYOR_WORKER_POOLS:-default:8}",
            description = "A queue to serve and its handler slots; repeatable (env CONVEYOR_WORKER_POOLS, "
                    + "comma-separated; default: ${DEFAULT-VALUE}).")
    List<PoolSpec> pools;

    @Option(names = "--lease", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "15s",
            description = "Lease of each claimed job, renewed every third of it; a crashed worker's jobs run "
                    + "again after about this long (default: ${DEFAULT-VALUE}).")
    Duration lease;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "30s",
            description = "At shutdown, how long running jobs may finish before they are handed back "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Option(names = "--handler-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:CONVEYOR_HANDLER_TIMEOUT:-30m}",
            description = "The longest one execution of a handler may run; past it the handler is interrupted and "
                    + "the attempt fails (retried while attempts remain, then DEAD) with a reason naming the limit "
                    + "(env CONVEYOR_HANDLER_TIMEOUT; default: ${DEFAULT-VALUE}).")
    Duration handlerTimeout;

    @Option(names = "--handler-stop-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "3s",
            description = "How long a handler asked to stop (time limit, cancel, lost lease) may take to return; "
                    + "past it its thread is abandoned and its slot freed. Part of the self-fencing margin: "
                    + "--lease must exceed a third of itself plus this grace plus up to 350 ms "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration handlerStopGrace;

    @Option(names = "--idle-poll-max", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "1s", description = "Longest wait between claims of an idle pool (default: ${DEFAULT-VALUE}).")
    Duration idlePollMax;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "" + WorkerPoolConfig.DEFAULT_MAX_BATCH,
            description = "Jobs per claim at most (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "${env:CONVEYOR_PREFETCH:--1}",
            description = "At most this many jobs each pool claims beyond its slots, to start as soon as a slot "
                    + "frees: only while its handlers take under 100 ms on average, and no more than its slots "
                    + "finish in 250 ms (env CONVEYOR_PREFETCH; default: four claim batches, 4 × --max-batch; "
                    + "0: claim only for free slots).")
    int prefetch;

    @Option(names = "--reaper-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "1s", description = "How often expired leases are returned to the queue "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration reaperInterval;

    @Option(names = "--retention", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:CONVEYOR_RETENTION:-30d}",
            description = "Delete finished jobs and their history this long after they ended, in small batches; "
                    + "0 keeps them forever (env CONVEYOR_RETENTION; default: ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--wakeups-from", paramLabel = "HOST:PORT", split = ",",
            defaultValue = "${env:CONVEYOR_WAKEUP_SERVERS}",
            description = "Queue servers whose submissions wake this worker's pools at once; repeatable "
                    + "(env CONVEYOR_WAKEUP_SERVERS, comma-separated). Without any, jobs submitted elsewhere "
                    + "start at the next idle poll.")
    List<String> wakeupServers;

    @Option(names = "--bind", defaultValue = "${env:CONVEYOR_BIND:-0.0.0.0}",
            description = "Address of the HTTP port (env CONVEYOR_BIND; default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:CONVEYOR_WORKER_HTTP_PORT}",
            description = "Serve /metrics, /healthz and /readyz on this port, 0 for any free one "
                    + "(env CONVEYOR_WORKER_HTTP_PORT; default: no HTTP port).")
    Integer httpPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, IOException {
        WorkerSettings settings;
        try {
            settings = new WorkerSettings(lease, shutdownTimeout, idlePollMax, maxBatch, prefetch,
                    handlerTimeout, handlerStopGrace,
                    new LeaseReaper.Config(reaperInterval, LeaseReaper.Config.DEFAULT_BATCH_SIZE),
                    new RetentionTask.Config(retention, RetentionTask.Config.DEFAULT_INTERVAL,
                            RetentionTask.Config.DEFAULT_BATCH_SIZE));
        } catch (IllegalArgumentException e) {
            // Settings that do not fit together (a lease too short for its fencing margin): a usage
            // error that names them, not a stack trace.
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        int slots = pools.stream().mapToInt(PoolSpec::slots).sum();
        int connections = slots + CONNECTIONS_PER_POOL * pools.size() + CONNECTIONS_PER_DAEMON;
        DatabaseConfig database = db.config()
                .withPoolSize(dbPoolSize != null ? dbPoolSize : Math.min(500, connections))
                .withMigrate(false);
        WorkerDaemon daemon;
        try {
            daemon = WorkerDaemon.start(new DaemonConfig(database, pools, settings, wakeupServers,
                    httpPort == null ? null : new InetSocketAddress(bind, httpPort), wakeupSecurity));
        } catch (RuntimeException e) {
            throw db.explain(e);
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("conveyor-worker-shutdown").unstarted(daemon::close));
        daemon.awaitTermination();
        return 0;
    }

    static final class PoolSpecConverter implements ITypeConverter<PoolSpec> {
        @Override
        public PoolSpec convert(String value) {
            try {
                return PoolSpec.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
