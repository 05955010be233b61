package dev.conveyor.server.worker;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import dev.conveyor.server.InProcessWorkers;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The worker pools {@code conveyor server} runs in its own process: one pool per queue with the
 * default slots and settings, the same job types and reaper as a worker daemon. Found by the
 * server through {@code META-INF/services/dev.conveyor.server.InProcessWorkers}.
 */
public final class InProcessWorkerPools implements InProcessWorkers {
    /** Written by start(), read by close(); both on the server's main or shutdown thread. */
    private volatile WorkerPools pools;

    @Override
    public void start(QueueManager queues, Database database, MeterRegistry registry, List<String> queueNames) {
        if (pools != null) {
            throw new IllegalStateException("in-process workers already started");
        }
        String owner = "server-" + ProcessHandle.current().pid();
        List<PoolSpec> specs = queueNames.stream().map(PoolSpec::parse).toList();
        pools = WorkerPools.start(owner, queues, database, registry, specs, WorkerSettings.DEFAULTS);
    }

    @Override
    public void close() {
        WorkerPools started = pools;
        if (started != null) {
            started.close();
        }
    }
}
