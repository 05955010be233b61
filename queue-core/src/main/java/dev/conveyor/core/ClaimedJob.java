package dev.conveyor.core;

import java.time.Instant;
import java.util.Map;

/** A job leased to a worker: what its handler needs, and the lease that fences its writes. */
public record ClaimedJob(
        long id,
        long leaseEpoch,
        String queue,
        String type,
        int attempt,
        int maxAttempts,
        byte[] payload,
        String contentType,
        String traceParent,
        Map<String, String> labels,
        Long parentId,
        Instant createdAt,
        Instant leaseExpiresAt) {

    public Lease lease() {
        return new Lease(id, leaseEpoch);
    }

    public boolean lastAttempt() {
        return attempt >= maxAttempts;
    }

    @Override
    public String toString() {
        return "ClaimedJob[id=" + id + ", epoch=" + leaseEpoch + ", queue=" + queue + ", type=" + type
                + ", attempt=" + attempt + "/" + maxAttempts + "]";
    }
}
