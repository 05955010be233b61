package dev.conveyor.worker;

/**
 * A failure that retrying cannot fix (bad payload, a target that refuses the request): the job
 * goes DEAD at once instead of being retried, and outbound retries and circuit breakers ignore it.
 */
public class NonRetryableException extends RuntimeException {

    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
