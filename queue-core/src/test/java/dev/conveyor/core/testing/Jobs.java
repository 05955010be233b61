package dev.conveyor.core.testing;

import dev.conveyor.core.NewJob;

/** Fixture jobs for tests: small, valid, and named for what they are. */
public final class Jobs {
    /** The type of every fixture job; pools under test handle it. */
    public static final String NOOP_TYPE = "noop";

    private Jobs() {
    }

    /** A job of type {@value #NOOP_TYPE} with an empty payload and the default rules. */
    public static NewJob noop(String queue) {
        return builder(queue).build();
    }

    /** A {@link #noop} job carrying an idempotency key. */
    public static NewJob withKey(String queue, String idempotencyKey) {
        return builder(queue).idempotencyKey(idempotencyKey).build();
    }

    /** A builder for a {@value #NOOP_TYPE} job, for tests that set more than the queue. */
    public static NewJob.Builder builder(String queue) {
        return NewJob.builder(queue, NOOP_TYPE);
    }
}
