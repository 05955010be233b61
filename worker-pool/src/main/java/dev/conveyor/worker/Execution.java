package dev.conveyor.worker;

import dev.conveyor.core.ClaimedJob;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One claimed job inside a pool, from claim until its completion is recorded.
 *
 * <p>Three threads meet here: the job's handler thread, the heartbeat (which asks it to stop) and
 * the pool's shutdown (which hands it back). Two one-way latches keep them apart: {@link #stop}
 * records the first reason to stop, and {@link #settle()} lets exactly one of them report the
 * job's outcome.
 */
final class Execution {

    /** Why a handler was asked to stop before it finished. */
    enum Stop {
        /** The job was asked to cancel: report {@code Cancelled}. */
        CANCELLED,
        /** The lease is no longer ours: whatever the handler produces is dropped. */
        LOST,
        /** The pool is shutting down: the job is handed back with {@code Released}. */
        RELEASED
    }

    private final ClaimedJob job;
    /** Written once by the handler thread when it starts; read by heartbeat and shutdown to interrupt it. */
    private volatile Thread thread;
    /** First writer wins (heartbeat, shutdown, or the handler thread on a refused event); read by all. */
    private final AtomicReference<Stop> stop = new AtomicReference<>();
    /** Set by whichever thread hands the outcome to the completer; never reset. */
    private final AtomicBoolean settled = new AtomicBoolean();

    Execution(ClaimedJob job) {
        this.job = job;
    }

    ClaimedJob job() {
        return job;
    }

    /** Called on the handler thread before the handler runs. */
    void bindToCurrentThread() {
        thread = Thread.currentThread();
    }

    /** Asks the handler to stop for {@code reason}; false when an earlier reason already stands. */
    boolean requestStop(Stop reason) {
        if (!stop.compareAndSet(null, reason)) {
            return false;
        }
        Thread t = thread;
        if (t != null) {
            // One virtual thread per execution: the interrupt cannot reach another job's handler.
            t.interrupt();
        }
        return true;
    }

    Stop stopReason() {
        return stop.get();
    }

    /** True for exactly one caller: the one that reports this execution's outcome. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    boolean isSettled() {
        return settled.get();
    }
}
