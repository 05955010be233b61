package dev.conveyor.server.worker;

import dev.conveyor.worker.LeaseReaper;
import dev.conveyor.worker.RetentionTask;
import dev.conveyor.worker.WorkerPoolConfig;
import java.time.Duration;

/**
 * How every pool of a worker process is configured, beyond its queue and slots. Validated by
 * building one pool's config, so a bad value fails before anything starts.
 *
 * @param leaseDuration   the lease of every job claimed; renewed every third of it
 * @param shutdownTimeout how long running handlers may finish at shutdown before they are handed back
 * @param idlePollMax     the longest wait between claims of an idle pool
 * @param maxBatch        jobs per claim statement at most
 * @param prefetch        jobs each pool may claim beyond its slots while its handlers are short;
 *                        {@link #PREFETCH_DEFAULT} (the default) for four claim batches, {@code 4 × maxBatch}
 * @param handlerTimeout  the longest one execution of a handler may run before it is interrupted and
 *                        its attempt failed
 * @param stopGrace       how long a handler asked to stop may take to return before it is abandoned; the
 *                        lease must exceed its renewal interval (a third of it) plus the self-fencing
 *                        margin, which holds the stop grace ({@link WorkerPoolConfig#fenceMargin()})
 * @param reaper          how often expired leases are returned, and in what batches
 * @param retention       how long finished jobs are kept, and how they are pruned
 */
public record WorkerSettings(Duration leaseDuration, Duration shutdownTimeout, Duration idlePollMax, int maxBatch,
        int prefetch, Duration handlerTimeout, Duration stopGrace, LeaseReaper.Config reaper,
        RetentionTask.Config retention) {

    public static final int PREFETCH_DEFAULT = -1;

    public static final WorkerSettings DEFAULTS = new WorkerSettings(WorkerPoolConfig.DEFAULT_LEASE_DURATION,
            WorkerPoolConfig.DEFAULT_SHUTDOWN_TIMEOUT, WorkerPoolConfig.DEFAULT_IDLE_POLL_MAX,
            WorkerPoolConfig.DEFAULT_MAX_BATCH, PREFETCH_DEFAULT, WorkerPoolConfig.DEFAULT_HANDLER_TIMEOUT,
            WorkerPoolConfig.DEFAULT_STOP_GRACE, LeaseReaper.Config.DEFAULTS, RetentionTask.Config.DEFAULTS);

    public WorkerSettings {
        if (prefetch < PREFETCH_DEFAULT) {
            throw new IllegalArgumentException("prefetch must be 0 or more, was " + prefetch);
        }
        config(new PoolSpec("default", 1), leaseDuration, shutdownTimeout, idlePollMax, maxBatch, prefetch)
                .withHandlerTimeout(handlerTimeout).withStopGrace(stopGrace).requireLeaseCoversFencing();
        if (reaper == null || retention == null) {
            throw new IllegalArgumentException("reaper and retention settings are required");
        }
    }

    /** The config of the pool for {@code spec}. */
    public WorkerPoolConfig poolConfig(PoolSpec spec) {
        return config(spec, leaseDuration, shutdownTimeout, idlePollMax, maxBatch, prefetch)
                .withHandlerTimeout(handlerTimeout).withStopGrace(stopGrace);
    }

    private static WorkerPoolConfig config(PoolSpec spec, Duration lease, Duration shutdown, Duration idleMax,
            int batch, int prefetch) {
        WorkerPoolConfig base = WorkerPoolConfig.of(spec.queue()).withSlots(spec.slots()).withMaxBatch(batch)
                .withLeaseDuration(lease).withShutdownTimeout(shutdown)
                .withPrefetch(prefetch == PREFETCH_DEFAULT ? Math.min(4 * batch, WorkerPoolConfig.MAX_SLOTS) : prefetch);
        Duration idleMin = base.idlePollMin().compareTo(idleMax) <= 0 ? base.idlePollMin() : idleMax;
        return base.withIdlePoll(idleMin, idleMax);
    }
}
