package dev.conveyor.core;

import java.time.Instant;
import java.util.Map;

/** A job as read, at one moment. */
public record JobSnapshot(
        long id,
        String queue,
        String type,
        JobState state,
        int priority,
        Instant runAt,
        int attempt,
        int maxAttempts,
        String leaseOwner,
        long leaseEpoch,
        Instant leaseExpiresAt,
        boolean cancelRequested,
        String idempotencyKey,
        byte[] payload,
        String contentType,
        byte[] result,
        String lastError,
        Long parentId,
        String concurrencyKey,
        Map<String, String> labels,
        String traceParent,
        String createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    @Override
    public String toString() {
        return "JobSnapshot[id=" + id + ", queue=" + queue + ", type=" + type + ", state=" + state
                + ", attempt=" + attempt + "/" + maxAttempts + "]";
    }
}
