package dev.conveyor.worker;

import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.RetryPolicy;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one handler on the current thread and turns whatever it does into an {@link Outcome}:
 * inside the job's span, with {@code job_id} and {@code trace_id} in the MDC so that every log
 * line of the handler names its job and trace.
 */
final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int MAX_REASON = 2000;

    /** A job type's handler and, when it has its own, the backoff after its thrown failures. */
    record Registration(JobHandler handler, RetryPolicy retryPolicy) {
    }

    private final Map<String, Registration> handlers;
    private final QueueManager queueManager;
    private final String worker;
    private final OutboundCalls outbound;
    private final JobTracing tracing;
    private final PoolMetrics metrics;

    JobRunner(Map<String, Registration> handlers, QueueManager queueManager, String worker, OutboundCalls outbound,
            JobTracing tracing, PoolMetrics metrics) {
        this.handlers = Map.copyOf(handlers);
        this.queueManager = queueManager;
        this.worker = worker;
        this.outbound = outbound;
        this.tracing = tracing;
        this.metrics = metrics;
    }

    /** How long the handler of {@code job} may run: the pool's limit, or less when its handler asks for less. */
    Duration timeLimit(ClaimedJob job, Duration poolLimit) {
        Registration registration = handlers.get(job.type());
        Duration asked = registration == null ? null : registration.handler().timeLimit();
        return asked == null || asked.isNegative() || asked.isZero() || asked.compareTo(poolLimit) >= 0
                ? poolLimit : asked;
    }

    /**
     * The outcome of an execution stopped at its time limit: a retryable failure whose reason names
     * the limit (DEAD on the last attempt), backed off like the handler's thrown failures.
     *
     * @param abandoned whether the handler also ignored the interrupt and was abandoned
     */
    Outcome timedOut(Execution execution, Duration limit, boolean abandoned, Duration grace) {
        ClaimedJob job = execution.job();
        String reason = "handler ran past its time limit of " + DurationText.format(limit)
                + (abandoned ? " and did not stop within " + DurationText.format(grace)
                        + " of being interrupted; its thread was abandoned" : "");
        Registration registration = handlers.get(job.type());
        Duration delay = registration == null || registration.retryPolicy() == null ? null
                : registration.retryPolicy().backoff(job.attempt());
        return new Outcome.Retry(reason, delay);
    }

    /** The job types this runner has handlers for, sorted. */
    SortedSet<String> types() {
        return new TreeSet<>(handlers.keySet());
    }

    Outcome run(Execution execution) {
        ClaimedJob job = execution.job();
        Registration registration = handlers.get(job.type());
        if (registration == null) {
            return Outcome.failed("no handler for job type '" + job.type() + "' on queue '" + job.queue()
                    + "' in worker " + worker);
        }
        Span span = tracing.start(job);
        String traceId = JobTracing.traceId(span);
        MDC.put("job_id", Long.toString(job.id()));
        if (traceId != null) {
            MDC.put("trace_id", traceId);
        }
        long started = System.nanoTime();
        try (Scope ignored = span.makeCurrent()) {
            Outcome outcome = registration.handler().handle(new JobContext(execution, queueManager, worker, outbound));
            if (outcome == null) {
                return Outcome.failed("handler for '" + job.type() + "' returned no outcome");
            }
            return outcome;
        } catch (NonRetryableException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            log.info("job {} failed, not retryable: {}", job.id(), reason(e));
            return Outcome.failed(reason(e));
        } catch (Throwable e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            if (execution.stopReason() == null) {
                log.info("job {} attempt {}/{} failed: {}", job.id(), job.attempt(), job.maxAttempts(), reason(e));
                log.debug("job {} failure", job.id(), e);
            }
            Duration delay = registration.retryPolicy() == null ? null
                    : registration.retryPolicy().backoff(job.attempt());
            return new Outcome.Retry(reason(e), delay);
        } finally {
            metrics.handlerFinished(job, Duration.ofNanos(System.nanoTime() - started));
            span.end();
            MDC.remove("job_id");
            MDC.remove("trace_id");
        }
    }

    private static String reason(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }
}
