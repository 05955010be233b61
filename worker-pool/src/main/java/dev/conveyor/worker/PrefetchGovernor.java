package dev.conveyor.worker;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * Lets a pool prefetch only while its handlers are short. Prefetched jobs hold a lease while they
 * wait for a slot: that pays for jobs of a few milliseconds, whose claims and commits would
 * otherwise leave the slots idle, and costs for long jobs, which another worker could have
 * started at once. So the prefetch permits of the lease budget start parked here (the pool then
 * claims only for free slots) and are handed to the poller once the average handler, an
 * exponentially weighted mean over recent runs, is under {@link #SHORT}; they are parked again,
 * as leases are given up, when it rises above.
 *
 * <p>Threads: {@link #handlerRan} is called by handler threads, {@link #leaseGivenUp} by whichever
 * thread gives a lease up; one lock keeps the parked count and the semaphore in step.
 */
final class PrefetchGovernor {
    /** Handlers shorter than this on average make prefetch worth its leases. */
    static final Duration SHORT = Duration.ofMillis(100);
    /** Weight of the newest run in the mean: the last few runs count, so a change of job mix shows soon. */
    private static final double WEIGHT = 0.25;

    private final Semaphore leases;
    private final int prefetch;
    private final Object lock = new Object();
    /** Guarded by lock: prefetch permits taken out of {@link #leases}. */
    private int parked;
    /** Guarded by lock: the mean handler time in nanoseconds; negative before the first run. */
    private double meanNanos = -1;

    /** Parks the {@code prefetch} permits of {@code leases}, which must all be free now. */
    PrefetchGovernor(Semaphore leases, int prefetch) {
        this.leases = leases;
        this.prefetch = prefetch;
        if (!leases.tryAcquire(prefetch)) {
            throw new IllegalStateException("the lease budget must be untouched when the governor starts");
        }
        this.parked = prefetch;
    }

    /** A handler ran for {@code nanos}: updates the mean, and hands out the parked permits if it is short. */
    void handlerRan(long nanos) {
        if (prefetch == 0) {
            return;
        }
        synchronized (lock) {
            meanNanos = meanNanos < 0 ? nanos : meanNanos + WEIGHT * (nanos - meanNanos);
            if (prefetching() && parked > 0) {
                leases.release(parked);
                parked = 0;
            }
        }
    }

    /** A lease was given up: its permit goes back to the poller, or is parked while handlers are long. */
    void leaseGivenUp() {
        synchronized (lock) {
            if (!prefetching() && parked < prefetch) {
                parked++;
                return;
            }
        }
        leases.release();
    }

    /** Caller holds lock. */
    private boolean prefetching() {
        return meanNanos >= 0 && meanNanos < SHORT.toNanos();
    }

    /** Prefetch permits the poller may use now. */
    int active() {
        synchronized (lock) {
            return prefetch - parked;
        }
    }
}
