package dev.conveyor.worker;

import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.EventDraft;
import dev.conveyor.core.QueueManager;

/**
 * What a {@link JobHandler} gets for one execution: the job, its lease, a way to record steps in
 * the job's history, whether it should stop, and guarded outbound calls.
 *
 * <p>To make database writes exactly-once, return them as the completion's work:
 * {@code Outcome.succeeded(result, connection -> …)}; they commit in the transaction that completes
 * the job, and only if this execution's lease is still current. Effects elsewhere should use
 * {@link #jobId()} and {@link #attempt()} to make themselves idempotent.
 */
public final class JobContext {
    private final Execution execution;
    private final QueueManager queueManager;
    private final String worker;
    private final OutboundCalls outbound;

    JobContext(Execution execution, QueueManager queueManager, String worker, OutboundCalls outbound) {
        this.execution = execution;
        this.queueManager = queueManager;
        this.worker = worker;
        this.outbound = outbound;
    }

    public ClaimedJob job() {
        return execution.job();
    }

    public long jobId() {
        return execution.job().id();
    }

    /** This execution's attempt, from 1. */
    public int attempt() {
        return execution.job().attempt();
    }

    /** The lease's fencing epoch: with {@link #jobId()}, names this execution uniquely. */
    public long leaseEpoch() {
        return execution.job().leaseEpoch();
    }

    public byte[] payload() {
        return execution.job().payload();
    }

    /** The worker recorded with this execution's events and completion. */
    public String worker() {
        return worker;
    }

    /**
     * Appends a step to the job's history (what a technician reads to learn why). Fenced by the
     * lease: returns false when the lease is lost, and then the handler is asked to stop.
     *
     * @param step       what was being done, e.g. {@code check-fans}
     * @param statusCode what it returned, e.g. {@code OK} or an HTTP status
     * @param command    the command or request that was run, or null
     * @param message    what it means, in words
     */
    public boolean event(String step, String statusCode, String command, String message) {
        boolean recorded = queueManager.recordEvent(execution.job().lease(),
                new EventDraft(step, statusCode, command, message), worker);
        if (!recorded) {
            execution.requestStop(Execution.Stop.LOST);
        }
        return recorded;
    }

    /**
     * True once the handler should stop: the job was cancelled, its lease was lost, it ran past its
     * time limit, the pool is shutting down, or the lease has not been renewed in time and is
     * within the pool's self-fencing margin by this host's clock (asked here on the handler's own
     * thread, so a handler that checks before each device action never acts on a lease another
     * worker may hold, even right after its process was paused). The handler thread is also
     * interrupted then; a handler that goes on for longer than the pool's stop grace is abandoned.
     */
    public boolean isCancelled() {
        return execution.stopReason() != null || execution.pastFence();
    }

    /** Calls to {@code targetService} through its circuit breaker and a bounded retry. */
    public OutboundCall outbound(String targetService) {
        return outbound.target(targetService);
    }
}
