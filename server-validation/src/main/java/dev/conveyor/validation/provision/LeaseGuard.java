package dev.conveyor.validation.provision;

import dev.conveyor.core.QueueManager;
import dev.conveyor.device.FencedWrite;
import dev.conveyor.worker.JobContext;

/**
 * Checks, right before each write to a device, that this execution still holds the job's lease
 * and that the job was not cancelled: a worker whose lease was reaped (and whose job may already
 * run elsewhere) must not flash firmware or reset a server beside its successor. The check locks
 * the job row as {@link FencedWrite} does; the worker's self-fencing covers the moments between
 * a check and the write.
 */
final class LeaseGuard {
    private final QueueManager queue;
    private final JobContext context;

    LeaseGuard(QueueManager queue, JobContext context) {
        this.queue = queue;
        this.context = context;
    }

    /** @throws LeaseLostException when the write must not happen */
    void beforeWrite(String what) {
        if (context.isCancelled()) {
            throw new LeaseLostException("job " + context.jobId() + " was cancelled; not written: " + what);
        }
        if (!FencedWrite.run(queue, context.job().lease(), connection -> { })) {
            throw new LeaseLostException("job " + context.jobId() + " lost its lease (epoch " + context.leaseEpoch()
                    + "); not written: " + what);
        }
    }

    /** The write was not made because this execution no longer owns the job. */
    static final class LeaseLostException extends RuntimeException {
        LeaseLostException(String message) {
            super(message);
        }
    }
}
