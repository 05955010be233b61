package dev.conveyor.worker;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * Sizes a pool's prefetch to its handlers. Prefetched jobs hold a lease while they wait for a
 * slot: that pays for jobs of a few milliseconds, whose claims and commits would otherwise leave
 * the slots idle, and costs for long jobs, which another worker could have started at once. So
 * the prefetch permits of the lease budget start parked here (the pool then claims only for free
 * slots); once the mean handler time (exponentially weighted over recent runs) is known, the
 * poller gets as many as {@code slots} handlers finish in {@link #QUEUED_WORK}, at most the
 * configured prefetch, and none when the mean is {@link #SHORT} or more. Permits are handed out at
 * once and parked again as leases are given up.
 *
 * <p>Threads: {@link #handlerRan} is called by handler threads, {@link #leaseGivenUp} by whichever
 * thread gives a lease up; one lock keeps the parked count and the semaphore in step.
 */
final class PrefetchGovernor {
    /** Handlers this long or longer on average are not prefetched at all. */
    static final Duration SHORT = Duration.ofMillis(100);
    /** How much work, in handler time per slot, prefetched jobs may add to a pool's backlog. */
    static final Duration QUEUED_WORK = Duration.ofMillis(250);
    /** Weight of the newest run in the mean: the last few runs count, so a change of job mix shows soon. */
    private static final double WEIGHT = 0.25;

    private final Semaphore leases;
    private final int slots;
    private final int prefetch;
    private final Object lock = new Object();
    /** Guarded by lock: prefetch permits taken out of {@link #leases}. */
    private int parked;
    /** Guarded by lock: the mean handler time in nanoseconds; negative before the first run. */
    private double meanNanos = -1;

    /** Parks the {@code prefetch} permits of {@code leases}, which must all be free now. */
    PrefetchGovernor(Semaphore leases, int slots, int prefetch) {
        this.leases = leases;
        this.slots = slots;
        this.prefetch = prefetch;
        if (!leases.tryAcquire(prefetch)) {
            throw new IllegalStateException("the lease budget must be untouched when the governor starts");
        }
        this.parked = prefetch;
    }

    /** A handler ran for {@code nanos}: updates the mean, and hands out the permits it now allows. */
    void handlerRan(long nanos) {
        if (prefetch == 0) {
            return;
        }
        synchronized (lock) {
            meanNanos = meanNanos < 0 ? nanos : meanNanos + WEIGHT * (nanos - meanNanos);
            int surplus = parked - (prefetch - allowed());
            if (surplus > 0) {
                leases.release(surplus);
                parked -= surplus;
            }
        }
    }

    /** A lease was given up: its permit goes back to the poller, or is parked when prefetch should shrink. */
    void leaseGivenUp() {
        synchronized (lock) {
            if (parked < prefetch - allowed()) {
                parked++;
                return;
            }
        }
        leases.release();
    }

    /** Prefetch permits the poller may use now. */
    int active() {
        synchronized (lock) {
            return prefetch - parked;
        }
    }

    /** Caller holds lock. */
    private int allowed() {
        if (meanNanos < 0 || meanNanos >= SHORT.toNanos()) {
            return 0;
        }
        double finishedInBudget = slots * (QUEUED_WORK.toNanos() / Math.max(meanNanos, 1.0));
        return (int) Math.min(prefetch, finishedInBudget);
    }
}
