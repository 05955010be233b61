package dev.conveyor.server.security;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.conveyor.core.ConveyorException;
import dev.conveyor.core.QueueManager;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-identity limits on submitted jobs (a SubmitJobs batch takes one permit per job, at most
 * the whole period's allowance), one Resilience4j {@link RateLimiter} per identity. Over the limit:
 * RESOURCE_EXHAUSTED with a {@code google.rpc.RetryInfo} detail (in the {@code grpc-status-details-bin}
 * trailer) saying when to try again, and an audit record of the refusal. Runs inside the
 * {@link AuthInterceptor}; identities come from the token file, so the limiters are bounded.
 */
public final class RateLimits implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);
    private static final Set<String> SUBMISSIONS = Set.of(JobServiceGrpc.getSubmitJobMethod().getFullMethodName(),
            JobServiceGrpc.getSubmitJobsMethod().getFullMethodName());

    /**
     * @param jobsPerPeriod jobs one identity may submit per period
     * @param period        how often the allowance is renewed
     */
    public record Settings(int jobsPerPeriod, Duration period) {
        public static final Settings DEFAULTS = new Settings(500, Duration.ofSeconds(1));

        public Settings {
            if (jobsPerPeriod < 1) {
                throw new IllegalArgumentException("jobs per period must be positive, was " + jobsPerPeriod);
            }
            if (period == null || period.toMillis() < 1) {
                throw new IllegalArgumentException("the rate limit period must be at least 1 ms");
            }
        }
    }

    private final QueueManager queues;
    private final Settings settings;
    private final RateLimiterRegistry limiters;

    public RateLimits(QueueManager queues, Settings settings) {
        this.queues = queues;
        this.settings = settings;
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(settings.jobsPerPeriod())
                .limitRefreshPeriod(settings.period())
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Caller caller = Caller.current();
        if (caller == null || !SUBMISSIONS.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        RateLimiter limiter = limiters.rateLimiter(caller.identity().name());
        return new MessageGate<>(next.startCall(call, headers), call, message -> {
            int jobs = message instanceof SubmitJobsRequest batch ? Math.max(1, batch.getJobsCount()) : 1;
            if (limiter.acquirePermission(Math.min(jobs, settings.jobsPerPeriod()))) {
                return null;
            }
            String reason = caller.identity().name() + " is over its limit of " + settings.jobsPerPeriod()
                    + " submitted jobs per " + settings.period().toMillis() + " ms";
            audit(caller, Targets.of(message), reason);
            return exhausted(reason, settings.period());
        });
    }

    private static StatusRuntimeException exhausted(String reason, Duration retryAfter) {
        RetryInfo retry = RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                .setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano())).build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage(reason)
                .addDetails(Any.pack(retry))
                .build());
    }

    private void audit(Caller caller, String target, String reason) {
        try {
            queues.auditDenied(caller.audit(), target, reason);
        } catch (ConveyorException e) {
            log.warn("rate-limited call not audited ({}): {}", reason, e.getMessage());
        }
    }
}
