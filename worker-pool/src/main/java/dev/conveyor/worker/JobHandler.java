package dev.conveyor.worker;

import dev.conveyor.core.Outcome;
import java.time.Duration;

/**
 * Runs one execution of a job and says how it ended.
 *
 * <p>Return {@link Outcome#succeeded()} (or {@link Outcome#succeeded(byte[], dev.conveyor.core.TransactionalWork)}
 * to commit the handler's own database writes with the completion), {@link Outcome.Retry} with a
 * delay of your choosing, or {@link Outcome.Failed}. A thrown exception is a retryable failure,
 * unless it is a {@link NonRetryableException}: retryability travels with the failure's type.
 *
 * <p>The handler runs on its own virtual thread and is interrupted when its job is cancelled, its
 * lease is lost, it runs past its time limit or the pool shuts down; blocking calls should let
 * {@link InterruptedException} propagate, and long loops should check {@link JobContext#isCancelled()}.
 * A handler that does not return within the pool's stop grace after that is abandoned: its job's
 * outcome is recorded without it, its slot goes to other work, and whatever it returns later is
 * ignored (see {@link WorkerPoolConfig#stopGrace()}).
 */
@FunctionalInterface
public interface JobHandler {
    Outcome handle(JobContext context) throws Exception;

    /**
     * How long one execution of this handler may run, when it knows it needs less than the pool's
     * {@link WorkerPoolConfig#handlerTimeout()}; null (the default) for the pool's limit. A longer
     * limit than the pool's is cut to the pool's: the operator's bound wins.
     */
    default Duration timeLimit() {
        return null;
    }
}
