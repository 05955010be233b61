package dev.conveyor.server.console;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.WorkerInfo;
import dev.conveyor.core.db.Database;
import dev.conveyor.dcsim.SimulatedRack;
import dev.conveyor.server.InProcessWorkers;
import dev.conveyor.device.TlsTrust;
import dev.conveyor.device.DeviceAccess;
import dev.conveyor.tor.job.SwitchConnector;
import dev.conveyor.tor.job.TorStarterHandler;
import dev.conveyor.tor.job.TorStarterManager;
import dev.conveyor.tor.job.VerifySettings;
import dev.conveyor.validation.job.ServerValidationHandler;
import dev.conveyor.validation.job.ServerValidationManager;
import dev.conveyor.validation.workflow.RackSummaryHandler;
import dev.conveyor.validation.workflow.RackWorkflow;
import dev.conveyor.worker.OutboundCalls;
import dev.conveyor.worker.OutboundConfig;
import dev.conveyor.worker.WorkerPool;
import dev.conveyor.worker.WorkerPoolConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The server's in-process worker pool for the datacenter queue, with the families' handlers built
 * to trust the simulator's certificate, registered in the worker registry as a daemon would be.
 */
final class DatacenterWorkers implements InProcessWorkers {
    static final String WORKER_ID = "console-it-worker";
    private static final int SLOTS = 8;

    private final SimulatedRack sim;
    private WorkerPool pool;
    private QueueManager queues;

    DatacenterWorkers(SimulatedRack sim) {
        this.sim = sim;
    }

    @Override
    public void start(QueueManager queues, Database database, MeterRegistry registry, List<String> queueNames) {
        this.queues = queues;
        DeviceAccess access = new DeviceAccess(sim.credentials(), TlsTrust.pinned(sim.certificate()),
                Duration.ofSeconds(2), Duration.ofSeconds(5));
        OutboundConfig outbound = new OutboundConfig(OutboundConfig.DEFAULT_FAILURE_RATE_THRESHOLD,
                OutboundConfig.DEFAULT_SLIDING_WINDOW_CALLS, OutboundConfig.DEFAULT_MINIMUM_CALLS, Duration.ofSeconds(1),
                OutboundConfig.DEFAULT_HALF_OPEN_CALLS, 2, Duration.ofMillis(20), Duration.ofMillis(100), 0.5);
        pool = WorkerPool.builder(queues, WorkerPoolConfig.of(TorStarterManager.QUEUE).withSlots(SLOTS).withMaxBatch(SLOTS)
                        .withLeaseDuration(Duration.ofSeconds(10)).withHeartbeatInterval(Duration.ofSeconds(2))
                        .withIdlePoll(Duration.ofMillis(10), Duration.ofMillis(200))
                        .withShutdownTimeout(Duration.ofSeconds(10)))
                .handlers(Map.of(
                        TorStarterManager.TYPE, new TorStarterHandler(queues, SwitchConnector.eapi(access),
                                new VerifySettings(Duration.ofSeconds(2), Duration.ofMillis(100))),
                        ServerValidationManager.TYPE, new ServerValidationHandler(queues, access),
                        RackWorkflow.TYPE, new RackSummaryHandler(queues)))
                .meterRegistry(registry)
                .outbound(new OutboundCalls(outbound, registry))
                .build();
        pool.start();
        queues.registerWorker(new WorkerInfo(WORKER_ID, "127.0.0.1", ProcessHandle.current().pid(),
                TorStarterManager.QUEUE + ":" + SLOTS, SLOTS, Instant.now(), Instant.now(), null, true));
    }

    /** Keeps the registry's heartbeat fresh, as the daemon's own heartbeat does. */
    void heartbeat() {
        queues.heartbeatWorker(WORKER_ID);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
            queues.deregisterWorker(WORKER_ID);
        }
    }
}
