package dev.conveyor.worker;

import dev.conveyor.core.Outcome;

/**
 * Runs one execution of a job and says how it ended.
 *
 * <p>Return {@link Outcome#succeeded()} (or {@link Outcome#succeeded(byte[], dev.conveyor.core.TransactionalWork)}
 * to commit the handler's own database writes with the completion), {@link Outcome.Retry} with a
 * delay of your choosing, or {@link Outcome.Failed}. A thrown exception is a retryable failure,
 * unless it is a {@link NonRetryableException}: retryability travels with the failure's type.
 *
 * <p>The handler runs on its own virtual thread and is interrupted when its job is cancelled, its
 * lease is lost or the pool shuts down; blocking calls should let {@link InterruptedException}
 * propagate, and long loops should check {@link JobContext#isCancelled()}.
 */
@FunctionalInterface
public interface JobHandler {
    Outcome handle(JobContext context) throws Exception;
}
