package dev.conveyor.core;

import java.time.Duration;

/** How one execution of a job ended, as the worker reports it. */
public sealed interface Outcome {

    /** The handler finished; {@code work}, when present, commits with the completion. */
    record Succeeded(byte[] result, TransactionalWork work) implements Outcome {
    }

    /**
     * A retryable failure: READY again after {@code delay} (the queue's retry policy when null),
     * or DEAD when this was the last attempt.
     */
    record Retry(String reason, Duration delay) implements Outcome {
    }

    /** A failure that retrying cannot fix: DEAD at once. */
    record Failed(String reason) implements Outcome {
    }

    /** The handler stopped because the job was cancelled. */
    record Cancelled(String reason) implements Outcome {
    }

    /** Handed back unfinished (graceful shutdown): READY again, the attempt not spent. */
    record Released(String reason) implements Outcome {
    }

    static Outcome succeeded() {
        return new Succeeded(null, null);
    }

    static Outcome succeeded(byte[] result) {
        return new Succeeded(result, null);
    }

    static Outcome succeeded(byte[] result, TransactionalWork work) {
        return new Succeeded(result, work);
    }

    static Outcome retry(String reason) {
        return new Retry(reason, null);
    }

    static Outcome failed(String reason) {
        return new Failed(reason);
    }
}
