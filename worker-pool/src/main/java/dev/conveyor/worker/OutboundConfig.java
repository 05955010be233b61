package dev.conveyor.worker;

import java.time.Duration;

/**
 * How calls to other services (a BMC, a switch, an inventory API) are guarded: a circuit breaker
 * per target service, inside a bounded retry with exponential backoff and jitter. Retrying alone
 * piles load on a failing service; the breaker stops that and makes callers fail fast.
 *
 * @param failureRateThreshold percent of failed calls, over the window, that opens the breaker
 * @param slidingWindowCalls   the last this many calls are judged
 * @param minimumCalls         no verdict before this many calls in the window
 * @param openDuration         how long an open breaker refuses calls before it lets a few try
 * @param halfOpenCalls        trial calls allowed when half-open
 * @param maxAttempts          tries per call, the first included; 1 disables retrying
 * @param initialBackoff       the wait after the first failed try; it doubles after each
 * @param maxBackoff           the longest wait between tries
 * @param jitter               randomisation factor in [0, 1): each wait is drawn from ± this share
 */
public record OutboundConfig(
        float failureRateThreshold,
        int slidingWindowCalls,
        int minimumCalls,
        Duration openDuration,
        int halfOpenCalls,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double jitter) {

    public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;
    public static final int DEFAULT_SLIDING_WINDOW_CALLS = 20;
    public static final int DEFAULT_MINIMUM_CALLS = 10;
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);
    public static final int DEFAULT_HALF_OPEN_CALLS = 3;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final double DEFAULT_JITTER = 0.5;
    public static final OutboundConfig DEFAULTS = new OutboundConfig(DEFAULT_FAILURE_RATE_THRESHOLD,
            DEFAULT_SLIDING_WINDOW_CALLS, DEFAULT_MINIMUM_CALLS, DEFAULT_OPEN_DURATION, DEFAULT_HALF_OPEN_CALLS,
            DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_JITTER);

    public OutboundConfig {
        if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
            throw new IllegalArgumentException("failureRateThreshold must be in (0, 100], was " + failureRateThreshold);
        }
        if (slidingWindowCalls < 1 || minimumCalls < 1 || halfOpenCalls < 1) {
            throw new IllegalArgumentException("slidingWindowCalls, minimumCalls and halfOpenCalls must be positive");
        }
        if (openDuration == null || openDuration.toMillis() < 1) {
            throw new IllegalArgumentException("openDuration must be at least 1 ms, was " + openDuration);
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be in [1, 10], was " + maxAttempts);
        }
        if (initialBackoff == null || maxBackoff == null || initialBackoff.toMillis() < 1
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 1 ms <= initialBackoff <= maxBackoff, got "
                    + initialBackoff + " and " + maxBackoff);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
        }
    }
}
