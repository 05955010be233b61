package dev.conveyor.core;

/**
 * A caller's allowance of jobs it may create, charged by every path that creates jobs (a
 * submission, a batch, a workflow such as a rack validation, a retry) through an audited view of
 * the queue ({@link QueueManager#withQuota}). The queue knows nothing of how the allowance is kept.
 */
@FunctionalInterface
public interface SubmitQuota {
    /** Charges nothing: the process itself, and callers without a limit. */
    SubmitQuota UNLIMITED = jobs -> { };

    /**
     * Takes {@code jobs} permits, or refuses.
     *
     * @throws QuotaExceededException when the caller is over its limit; nothing is charged
     */
    void take(int jobs);
}
