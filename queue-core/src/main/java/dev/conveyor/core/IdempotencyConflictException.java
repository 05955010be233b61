package dev.conveyor.core;

/** The same {@code (queue, idempotency_key)} was submitted before with a different request. */
public final class IdempotencyConflictException extends ConveyorException {
    private final String queue;
    private final String idempotencyKey;
    private final long existingJobId;

    public IdempotencyConflictException(String queue, String idempotencyKey, long existingJobId) {
        super("idempotency key '" + idempotencyKey + "' in queue '" + queue + "' was used by job "
                + existingJobId + " for a different request");
        this.queue = queue;
        this.idempotencyKey = idempotencyKey;
        this.existingJobId = existingJobId;
    }

    public String queue() {
        return queue;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public long existingJobId() {
        return existingJobId;
    }
}
