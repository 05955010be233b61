package dev.conveyor.core;

import java.time.Instant;

/**
 * One line of a job's history. {@code kind} is STATE for a state change (then {@code state} is the
 * new state) and STEP for a handler's step. {@code parentId} is the job's workflow parent, if it has
 * one (and is still stored): a watch of the parent receives the event too.
 */
public record JobEventRecord(
        long id,
        long jobId,
        Long parentId,
        Instant at,
        String kind,
        JobState state,
        String step,
        String statusCode,
        String command,
        String message,
        String worker,
        int attempt) {
    public static final String STATE = "STATE";
    public static final String STEP = "STEP";
}
