package dev.conveyor.core.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The one sanctioned way for a test to wait: on a condition, with a deadline. */
public final class Conditions {
    private static final long POLL_MILLIS = 10;

    private Conditions() {
    }

    /**
     * Returns as soon as {@code condition} holds, polling every {@value #POLL_MILLIS} ms; fails
     * with {@code what} in the message when it still does not hold after {@code timeout}.
     */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Returns once {@code thread} has ended; fails when it is still running after {@code timeout}. */
    public static void joined(Duration timeout, Thread thread) {
        try {
            if (!thread.join(timeout)) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for thread "
                        + thread.getName() + " to end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for thread " + thread.getName(), e);
        }
    }
}
