package dev.conveyor.worker;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's two timers per execution, on one platform thread of its own (so that handlers that
 * hog the virtual-thread scheduler cannot delay it):
 * <ol>
 *   <li>the <em>time limit</em>, armed when the handler starts and disarmed when it returns: when it
 *       fires, the handler is asked to stop ({@link Execution.Stop#TIMED_OUT}, which interrupts it);
 *   <li>the <em>stop grace</em>, armed whenever a handler is asked to stop, whoever asked (the time
 *       limit, a cancellation, a lost lease): when it fires and the handler has still not returned,
 *       the handler is abandoned and {@code onAbandoned} reports for it.
 * </ol>
 *
 * <p>An abandoned handler's virtual thread cannot be killed (Java has no safe way); it is left to
 * run and counted until it returns, and its job no longer depends on it: its outcome is recorded,
 * the lease given up, the slot freed. Whatever it does later is harmless: its result is never
 * reported (its {@link Execution} is settled) and its own writes are refused by fencing (the job is
 * no longer RUNNING under its lease epoch).
 */
final class HandlerDeadlines implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HandlerDeadlines.class);

    /** Disarms a time limit; closed by the handler thread when its handler returns. */
    interface Armed extends AutoCloseable {
        @Override
        void close();
    }

    private final Duration stopGrace;
    private final PoolMetrics metrics;
    /** Called on the timer thread with an abandoned execution; the pool reports its outcome. */
    private final Consumer<Execution> onAbandoned;
    private final ScheduledThreadPoolExecutor timer;

    HandlerDeadlines(String owner, Duration stopGrace, PoolMetrics metrics, Consumer<Execution> onAbandoned) {
        this.stopGrace = stopGrace;
        this.metrics = metrics;
        this.onAbandoned = onAbandoned;
        this.timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("conveyor-deadlines-" + owner).factory());
        // One time limit per execution, almost all disarmed early: do not keep them queued.
        this.timer.setRemoveOnCancelPolicy(true);
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Handler thread, before its handler runs: stops it after {@code limit}. */
    Armed arm(Execution execution, Duration limit) {
        ScheduledFuture<?> future = schedule(() -> expired(execution, limit), limit);
        return () -> {
            if (future != null) {
                future.cancel(false);
            }
        };
    }

    /** Any thread, right after a stop request on {@code execution} won: starts its grace. */
    void stopRequested(Execution execution) {
        schedule(() -> graceOver(execution), stopGrace);
    }

    private void expired(Execution execution, Duration limit) {
        if (execution.isSettled()) {
            return;
        }
        if (execution.requestStop(Execution.Stop.TIMED_OUT)) {
            metrics.handlerTimedOut();
            log.warn("job {} attempt {}: handler ran past its time limit of {}; interrupting it",
                    execution.job().id(), execution.job().attempt(), DurationText.format(limit));
        }
    }

    private void graceOver(Execution execution) {
        if (!execution.abandon()) {
            return;
        }
        metrics.handlerAbandoned();
        Thread thread = execution.thread();
        log.warn("job {} attempt {}: handler ({}) did not stop within {} of being asked to ({}); its thread is "
                        + "abandoned, its slot freed, and whatever it does later is ignored or refused by fencing",
                execution.job().id(), execution.job().attempt(), thread == null ? "not started" : thread.getName(),
                DurationText.format(stopGrace), execution.stopReason());
        onAbandoned.accept(execution);
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Closed: the pool has handed back every job it held; nothing is left to time.
            return null;
        }
    }

    /** Drops the pending timers; a timer already running finishes. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
