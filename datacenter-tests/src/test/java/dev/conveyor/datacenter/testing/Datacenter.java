package dev.conveyor.datacenter.testing;

import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.QueueManagerConfig;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.dcsim.SimOptions;
import dev.conveyor.dcsim.SimulatedRack;
import dev.conveyor.family.JobFamily;
import dev.conveyor.device.TlsTrust;
import dev.conveyor.device.DeviceAccess;
import dev.conveyor.tor.job.SwitchConnector;
import dev.conveyor.tor.job.TorStarterHandler;
import dev.conveyor.tor.job.TorStarterManager;
import dev.conveyor.tor.job.VerifySettings;
import dev.conveyor.validation.job.ServerValidationHandler;
import dev.conveyor.validation.job.ServerValidationManager;
import dev.conveyor.validation.provision.ServerProvisionHandler;
import dev.conveyor.validation.provision.ServerProvisionManager;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.rack.ServerSpec;
import dev.conveyor.rack.SwitchSpec;
import dev.conveyor.validation.workflow.RackSummaryHandler;
import dev.conveyor.validation.workflow.RackWorkflow;
import dev.conveyor.worker.JobHandler;
import dev.conveyor.worker.OutboundCalls;
import dev.conveyor.worker.OutboundConfig;
import dev.conveyor.worker.WorkerPool;
import dev.conveyor.worker.WorkerPoolConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A test's datacenter: the database with both families' tables (found through {@link JobFamily}),
 * a queue manager with short retry backoffs, and dc-sim serving rack r1 (2 switches, 20 servers)
 * on free loopback ports.
 */
public final class Datacenter implements AutoCloseable {
    /** Short, so that a retried job comes back within a test's patience. */
    public static final Duration RETRY_BACKOFF = Duration.ofMillis(300);
    /** How often provisioning reads a running task or a resetting server. */
    public static final Duration PROVISION_POLL = Duration.ofMillis(100);

    private final Database database;
    private final QueueManager queue;
    private final SimulatedRack sim;
    private final RackManifest manifest;

    private Datacenter(Database database, SimulatedRack sim) {
        this.database = database;
        this.queue = new QueueManager(database, QueueManagerConfig.DEFAULTS.withRetryPolicy(attempt -> RETRY_BACKOFF));
        this.sim = sim;
        this.manifest = sim.servedManifest();
    }

    public static Datacenter start(TestDb db) {
        return start(db, rackR1());
    }

    /** The same datacenter, with dc-sim serving another manifest (its addresses renamed as {@link #rackR1()}'s). */
    public static Datacenter start(TestDb db, RackManifest served) {
        Database database = openWithFamilies(db);
        try {
            return new Datacenter(database, SimulatedRack.start(served, SimOptions.defaults()));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The database with the tables of every family on the class path, as a server opens it. */
    public static Database openWithFamilies(TestDb db) {
        var families = JobFamily.discover();
        return Database.open(db.config().withFamilies(JobFamily.allEntityClasses(families),
                JobFamily.allMigrationLocations(families)));
    }

    /**
     * dc-sim's example rack r1, with its loopback addresses renamed so that the simulator serves
     * every device on a free port (tests run beside each other).
     */
    public static RackManifest rackR1() {
        try (InputStream in = Datacenter.class.getClassLoader().getResourceAsStream("examples/rack-r1.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("127.0.0.1:", "sim-");
            return ManifestCodec.parse(yaml, ManifestFormat.YAML);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public QueueManager queue() {
        return queue;
    }

    public Database database() {
        return database;
    }

    public SimulatedRack sim() {
        return sim;
    }

    /** The rack as the simulator serves it: every address is its real loopback port. */
    public RackManifest manifest() {
        return manifest;
    }

    public SwitchSpec switchSpec(String hostname) {
        return manifest.switches().stream().filter(s -> s.hostname().equals(hostname)).findFirst().orElseThrow();
    }

    public ServerSpec server(String serial) {
        return manifest.servers().stream().filter(s -> s.serial().equals(serial)).findFirst().orElseThrow();
    }

    /** Pins the simulator's certificate, with a short request timeout for the slow-device tests. */
    public DeviceAccess access() {
        return new DeviceAccess(sim.credentials(), TlsTrust.pinned(sim.certificate()), Duration.ofSeconds(2),
                Duration.ofSeconds(2));
    }

    /** The datacenter job types, their handlers built as the families build them but with {@link #access()}. */
    public Map<String, JobHandler> handlers() {
        return Map.of(
                TorStarterManager.TYPE, new TorStarterHandler(queue, SwitchConnector.eapi(access()),
                        new VerifySettings(Duration.ofSeconds(2), Duration.ofMillis(100))),
                ServerValidationManager.TYPE, new ServerValidationHandler(queue, access()),
                ServerProvisionManager.TYPE, new ServerProvisionHandler(queue, access(), PROVISION_POLL),
                RackWorkflow.TYPE, new RackSummaryHandler(queue));
    }

    /** A started pool on the datacenter queue; outbound retries are quick but otherwise the defaults. */
    public WorkerPool startPool() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OutboundConfig outbound = new OutboundConfig(OutboundConfig.DEFAULT_FAILURE_RATE_THRESHOLD,
                OutboundConfig.DEFAULT_SLIDING_WINDOW_CALLS, OutboundConfig.DEFAULT_MINIMUM_CALLS, Duration.ofSeconds(1),
                OutboundConfig.DEFAULT_HALF_OPEN_CALLS, 2, Duration.ofMillis(20), Duration.ofMillis(100), 0.5);
        WorkerPool pool = WorkerPool.builder(queue, WorkerPoolConfig.of(TorStarterManager.QUEUE).withSlots(8).withMaxBatch(8)
                        .withLeaseDuration(Duration.ofSeconds(10)).withHeartbeatInterval(Duration.ofSeconds(2))
                        .withIdlePoll(Duration.ofMillis(10), Duration.ofMillis(200))
                        .withShutdownTimeout(Duration.ofSeconds(10)))
                .handlers(handlers()).meterRegistry(meters).outbound(new OutboundCalls(outbound, meters)).build();
        pool.start();
        return pool;
    }

    /** Waits until the job has ended (SUCCEEDED, DEAD or CANCELLED) and returns it. */
    public JobSnapshot awaitEnded(long jobId, Duration timeout) {
        Conditions.await(timeout, "job " + jobId + " to end", () -> queue.get(jobId).state().isTerminal());
        return queue.get(jobId);
    }

    @Override
    public void close() {
        sim.close();
        database.close();
    }
}
