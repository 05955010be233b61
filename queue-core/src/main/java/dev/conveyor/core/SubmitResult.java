package dev.conveyor.core;

/**
 * @param deduplicated true when the idempotency key matched an earlier, identical request and no
 *                     new job was created
 */
public record SubmitResult(long jobId, JobState state, boolean deduplicated) {
}
