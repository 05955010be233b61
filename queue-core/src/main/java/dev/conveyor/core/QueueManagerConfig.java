package dev.conveyor.core;

import java.time.Duration;

/**
 * Settings of a {@link QueueManager}, validated once.
 *
 * @param limits              submission limits (payload size)
 * @param retryPolicy         backoff after a retryable failure when the worker names no delay
 * @param concurrencyDeferral how long a READY job waits when its concurrency key is full
 * @param workerLiveness      a worker daemon whose heartbeat is older than this is shown dead
 */
public record QueueManagerConfig(
        SubmitLimits limits,
        RetryPolicy retryPolicy,
        Duration concurrencyDeferral,
        Duration workerLiveness) {

    public static final Duration DEFAULT_CONCURRENCY_DEFERRAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_WORKER_LIVENESS = Duration.ofSeconds(30);
    public static final QueueManagerConfig DEFAULTS = new QueueManagerConfig(SubmitLimits.DEFAULTS,
            RetryPolicy.DEFAULT, DEFAULT_CONCURRENCY_DEFERRAL, DEFAULT_WORKER_LIVENESS);

    public QueueManagerConfig {
        if (limits == null || retryPolicy == null) {
            throw new IllegalArgumentException("limits and retryPolicy are required");
        }
        if (concurrencyDeferral.isNegative() || concurrencyDeferral.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("concurrencyDeferral must be in [0, 1 min]");
        }
        if (workerLiveness.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("workerLiveness must be at least 1 s");
        }
    }

    public QueueManagerConfig withLimits(SubmitLimits l) {
        return new QueueManagerConfig(l, retryPolicy, concurrencyDeferral, workerLiveness);
    }

    public QueueManagerConfig withRetryPolicy(RetryPolicy p) {
        return new QueueManagerConfig(limits, p, concurrencyDeferral, workerLiveness);
    }
}
