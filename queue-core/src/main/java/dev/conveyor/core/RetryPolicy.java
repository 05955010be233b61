package dev.conveyor.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How long a job waits before its next attempt after a retryable failure. */
@FunctionalInterface
public interface RetryPolicy {

    /** @param attempt the attempt that just failed, from 1 */
    Duration backoff(int attempt);

    /** The default: exponential, capped, with full jitter (AWS architecture blog, 2015). */
    RetryPolicy DEFAULT = exponential(Duration.ofSeconds(1), Duration.ofMinutes(5));

    /**
     * A delay drawn uniformly from [0, min(cap, base × 2^(attempt-1))]: full jitter keeps a crowd of
     * failing jobs from retrying in lockstep.
     */
    static RetryPolicy exponential(Duration base, Duration cap) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap, got base=" + base + " cap=" + cap);
        }
        return attempt -> {
            long ceiling = ceilingMicros(base, cap, attempt);
            return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1) * 1000);
        };
    }

    /** The upper bound of {@link #exponential}'s draw, in microseconds; public for tests and docs. */
    static long ceilingMicros(Duration base, Duration cap, int attempt) {
        long baseMicros = base.toNanos() / 1000;
        long capMicros = cap.toNanos() / 1000;
        int shift = Math.min(Math.max(attempt - 1, 0), 40);
        long grown = baseMicros > (capMicros >> shift) ? capMicros : baseMicros << shift;
        return Math.min(capMicros, grown);
    }
}
