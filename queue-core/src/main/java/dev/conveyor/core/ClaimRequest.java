package dev.conveyor.core;

import java.time.Duration;

/**
 * @param owner         who takes the leases: unique per worker pool instance
 * @param maxJobs       at most this many jobs, never more than the caller has free slots for
 * @param leaseDuration how long the lease lasts without a heartbeat
 */
public record ClaimRequest(String queue, String owner, int maxJobs, Duration leaseDuration) {
    public static final int MAX_JOBS_PER_CLAIM = 500;

    public ClaimRequest {
        JobRules.requireName("queue", queue);
        if (owner == null || owner.isBlank() || owner.length() > 128) {
            throw new IllegalArgumentException("owner must be 1 to 128 characters");
        }
        if (maxJobs < 1 || maxJobs > MAX_JOBS_PER_CLAIM) {
            throw new IllegalArgumentException("maxJobs must be in [1, " + MAX_JOBS_PER_CLAIM + "], was " + maxJobs);
        }
        if (leaseDuration.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("leaseDuration must be at least 100 ms, was " + leaseDuration);
        }
    }
}
