package dev.conveyor.core;

import java.time.Duration;

/** A caller is over its limit of created jobs ({@link SubmitQuota}); nothing was created. */
public final class QuotaExceededException extends ConveyorException {
    private final Duration retryAfter;

    public QuotaExceededException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** When the caller may try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
