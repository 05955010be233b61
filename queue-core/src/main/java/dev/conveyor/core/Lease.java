package dev.conveyor.core;

/**
 * The fencing token of one execution: every write a worker makes about a job carries it and
 * matches it, so a worker whose lease was reaped cannot change the job any more.
 */
public record Lease(long jobId, long epoch) {
}
