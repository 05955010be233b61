package dev.conveyor.core;

import java.time.Instant;

/**
 * @param deduplicated true when the idempotency key matched an earlier, identical request and no
 *                     new job was created
 * @param createdAt    the stored {@code created_at} of a job this call created, when the insert
 *                     returned it (a single submission); null otherwise
 * @param runAt        the stored {@code run_at} of that job, under the same condition
 */
public record SubmitResult(long jobId, JobState state, boolean deduplicated, Instant createdAt, Instant runAt) {

    public SubmitResult(long jobId, JobState state, boolean deduplicated) {
        this(jobId, state, deduplicated, null, null);
    }

    /** Whether this result holds the stored times, so that no read of the job is needed to answer. */
    public boolean hasStoredTimes() {
        return createdAt != null && runAt != null;
    }
}
