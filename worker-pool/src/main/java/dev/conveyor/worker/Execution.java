package dev.conveyor.worker;

import dev.conveyor.core.ClaimedJob;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One claimed job inside a pool, from claim until its completion is recorded.
 *
 * <p>Four threads meet here: the job's handler thread, the heartbeat (which asks it to stop), the
 * pool's {@link HandlerDeadlines} (which stops it at its time limit and abandons it when it ignores
 * the request) and the pool's shutdown (which hands it back). Three one-way latches keep them apart:
 * {@link #stop} records the first reason to stop, {@link #settle()} lets exactly one of them report
 * the job's outcome, and {@link #handler} says whether the handler returned before it was abandoned.
 */
final class Execution {

    /** Why a handler was asked to stop before it finished. */
    enum Stop {
        /** The job was asked to cancel: report {@code Cancelled}. */
        CANCELLED,
        /** The lease is no longer ours: whatever the handler produces is dropped. */
        LOST,
        /** The pool is shutting down: the job is handed back with {@code Released}. */
        RELEASED,
        /** The handler ran past its time limit: report a retryable failure that names the limit. */
        TIMED_OUT
    }

    /** Where the handler is: one way only, {@code RUNNING → RETURNED} or {@code RUNNING → ABANDONED → RETURNED}. */
    private enum Handler { RUNNING, ABANDONED, RETURNED }

    private final ClaimedJob job;
    /** Called by the thread whose stop request won, after the interrupt; the pool starts the stop grace there. */
    private final Consumer<Execution> onStopRequested;
    /** Written once by the handler thread when it starts; read by heartbeat and shutdown to interrupt it. */
    private volatile Thread thread;
    /** First writer wins (heartbeat, deadline, shutdown, or the handler thread on a refused event); read by all. */
    private final AtomicReference<Stop> stop = new AtomicReference<>();
    /** Set by whichever thread hands the outcome to the completer; never reset. */
    private final AtomicBoolean settled = new AtomicBoolean();
    /** Moved by the handler thread (returned) and by the deadline thread (abandoned). */
    private final AtomicReference<Handler> handler = new AtomicReference<>(Handler.RUNNING);
    /** True from the moment the job's thread took a handler slot until one side gives it up. */
    private final AtomicBoolean holdsSlot = new AtomicBoolean();
    /**
     * The lease's local deadline on {@link System#nanoTime()}: the time taken before sending the
     * claim or the last renewal that committed, plus the lease. The database's expiry is no
     * earlier (it starts its lease when the statement arrives, after that send). Set at claim by
     * the poller, moved forward only by the heartbeat thread; read by the fence and the completer.
     */
    private volatile long leaseDeadline;
    /** The self-fencing margin: the handler must have stopped this long before {@link #leaseDeadline}. */
    private final long fenceMarginNanos;

    /**
     * @param leaseDeadline the claim's local deadline, {@link System#nanoTime()} based
     * @param fenceMargin   how long before that deadline the handler must stop, in nanoseconds
     */
    Execution(ClaimedJob job, long leaseDeadline, long fenceMargin, Consumer<Execution> onStopRequested) {
        this.job = job;
        this.leaseDeadline = leaseDeadline;
        this.fenceMarginNanos = fenceMargin;
        this.onStopRequested = onStopRequested;
    }

    /**
     * Any thread: true once the lease is within its fencing margin by this host's clock. The fence
     * thread acts on it every tick; the handler's own thread asks it directly too, because after a
     * pause of the whole process (SIGSTOP, a long GC, a frozen VM) the handler may run again before
     * the fence thread does, and must not act on a lease that may have passed to another worker.
     */
    boolean pastFence() {
        return leaseDeadline - fenceMarginNanos - System.nanoTime() <= 0;
    }

    /** The lease's local deadline, {@link System#nanoTime()} based. */
    long leaseDeadline() {
        return leaseDeadline;
    }

    /** Heartbeat thread: a renewal sent with this deadline committed. Never moves the deadline back. */
    void leaseRenewed(long deadline) {
        if (deadline - leaseDeadline > 0) {
            leaseDeadline = deadline;
        }
    }

    ClaimedJob job() {
        return job;
    }

    /** Called on the handler thread before the handler runs. */
    void bindToCurrentThread() {
        thread = Thread.currentThread();
    }

    /** The handler's thread, or null before it started. */
    Thread thread() {
        return thread;
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
        onStopRequested.accept(this);
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

    /**
     * Deadline thread: gives up on a handler that has not returned. True when it had not returned,
     * false when it had (then its own thread reports).
     */
    boolean abandon() {
        return handler.compareAndSet(Handler.RUNNING, Handler.ABANDONED);
    }

    /**
     * Handler thread, once the handler returned: true when the pool had abandoned it first, and then
     * the thread must report nothing (the abandoning side does).
     */
    boolean handlerReturned() {
        return handler.getAndSet(Handler.RETURNED) == Handler.ABANDONED;
    }

    /** The job's thread took a handler slot. */
    void slotTaken() {
        holdsSlot.set(true);
    }

    /**
     * True for exactly one caller while a slot is held: the handler's thread when the handler
     * returns, or the deadline thread when it abandons the handler first. That caller frees the slot.
     */
    boolean giveUpSlot() {
        return holdsSlot.compareAndSet(true, false);
    }
}
