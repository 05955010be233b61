package dev.conveyor.server.worker;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import dev.conveyor.server.Families;
import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.HandlerProvider;
import dev.conveyor.worker.JobHandler;
import dev.conveyor.worker.LeaseReaper;
import dev.conveyor.worker.OutboundCalls;
import dev.conveyor.worker.OutboundConfig;
import dev.conveyor.worker.RetentionTask;
import dev.conveyor.worker.WorkerPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pools of one process and what they share: the job types found on the class path, one set of
 * circuit breakers, one lease reaper, which wakes the pools when it returns jobs to the queue, and
 * the retention task that prunes finished jobs.
 */
final class WorkerPools implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerPools.class);

    private final List<WorkerPool> pools;
    private final Map<String, WorkerPool> byQueue;
    private final LeaseReaper reaper;
    private final RetentionTask retention;
    private final SortedSet<String> types;

    private WorkerPools(List<WorkerPool> pools, LeaseReaper reaper, RetentionTask retention, SortedSet<String> types) {
        this.pools = pools;
        this.byQueue = pools.stream().collect(Collectors.toUnmodifiableMap(p -> p.config().queue(), p -> p));
        this.reaper = reaper;
        this.retention = retention;
        this.types = types;
    }

    /**
     * Builds and starts one pool per spec, each owning leases as {@code workerId/queue}.
     *
     * @throws IllegalStateException when no handler is on the class path, or two claim one job type
     */
    static WorkerPools start(String workerId, QueueManager queueManager, Database database, MeterRegistry meters,
            List<PoolSpec> specs, WorkerSettings settings) {
        OutboundCalls outbound = new OutboundCalls(OutboundConfig.DEFAULTS, meters);
        Map<String, JobHandler> handlers = handlers(new HandlerContext(queueManager, database, outbound, meters));
        List<WorkerPool> pools = new ArrayList<>();
        for (PoolSpec spec : specs) {
            pools.add(WorkerPool.builder(queueManager, settings.poolConfig(spec))
                    .owner(workerId + "/" + spec.queue())
                    .handlers(handlers)
                    .meterRegistry(meters)
                    .outbound(outbound)
                    .build());
        }
        LeaseReaper reaper = new LeaseReaper(queueManager, settings.reaper(), meters,
                () -> pools.forEach(WorkerPool::wake));
        RetentionTask retention = new RetentionTask(queueManager, settings.retention(), meters);
        WorkerPools started = new WorkerPools(List.copyOf(pools), reaper, retention,
                new TreeSet<>(handlers.keySet()));
        try {
            pools.forEach(WorkerPool::start);
            reaper.start();
            retention.start();
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The built-in job types and those of every {@link HandlerProvider} on the class path. */
    private static Map<String, JobHandler> handlers(HandlerContext context) {
        Map<String, JobHandler> all = new TreeMap<>(HandlerProvider.discover(context));
        Families.handlers(context).forEach((type, handler) -> {
            if (all.putIfAbsent(type, handler) != null) {
                throw new IllegalStateException("job type '" + type + "' is provided by a job family and also by a "
                        + HandlerProvider.class.getSimpleName());
            }
        });
        new BuiltinHandlers().handlers(context).forEach((type, handler) -> {
            if (all.putIfAbsent(type, handler) != null) {
                throw new IllegalStateException("job type '" + type + "' is built in and also provided by a "
                        + HandlerProvider.class.getSimpleName() + " or a job family");
            }
        });
        return all;
    }

    SortedSet<String> types() {
        return types;
    }

    /** Wakes the pool of {@code queue}, if this process serves it: a job may have become ready there. */
    void wake(String queue) {
        WorkerPool pool = byQueue.get(queue);
        if (pool != null) {
            pool.wake();
        }
    }

    /**
     * Stops all pools at once (each drains within the shutdown timeout, so the process stops
     * within one timeout, not one per pool), then the reaper.
     */
    @Override
    public void close() {
        List<Thread> closers = new ArrayList<>();
        for (WorkerPool pool : pools) {
            closers.add(Thread.ofPlatform().name("conveyor-close-" + pool.config().queue()).start(pool::close));
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("interrupted while the pools were stopping; {} may still hold leases", t.getName());
            }
        }
        reaper.close();
        retention.close();
    }
}
