package dev.conveyor.core;

import java.time.Instant;

/**
 * One line of a job's history. {@code kind} is STATE for a state change (then {@code state} is the
 * new state) and STEP for a handler's step.
 */
public record JobEventRecord(
        long id,
        long jobId,
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
