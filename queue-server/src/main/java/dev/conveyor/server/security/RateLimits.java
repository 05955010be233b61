package dev.conveyor.server.security;

import dev.conveyor.core.QuotaExceededException;
import dev.conveyor.core.SubmitQuota;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Duration;

/**
 * Per-identity limits on created jobs, one Resilience4j {@link RateLimiter} per identity. Every
 * path that creates jobs is charged, with the number of jobs it creates, through the caller's
 * view of the queue ({@link Caller#queues}): SubmitJob one, a SubmitJobs batch one per job, a
 * ValidateRack its whole workflow (parent, switches, servers), a retry one; the console's rack
 * form through {@link #quotaFor}. A charge takes at most the whole period's allowance, so that a
 * large batch is possible at all. Over the limit: nothing is created, the call fails with
 * RESOURCE_EXHAUSTED and a {@code google.rpc.RetryInfo} detail saying when to try again, and the
 * refusal is audited (DENIED). As an interceptor (inside the {@link AuthInterceptor}) it puts the
 * caller's quota in the call's context; identities come from the token file, so the limiters are
 * bounded.
 */
public final class RateLimits implements ServerInterceptor {
    private static final Context.Key<SubmitQuota> QUOTA = Context.key("conveyor-submit-quota");

    /**
     * @param jobsPerPeriod jobs one identity may create per period
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

    private final Settings settings;
    private final RateLimiterRegistry limiters;

    public RateLimits(Settings settings) {
        this.settings = settings;
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(settings.jobsPerPeriod())
                .limitRefreshPeriod(settings.period())
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /** The allowance of the identity named {@code name}, shared by every path it creates jobs through. */
    public SubmitQuota quotaFor(String name) {
        RateLimiter limiter = limiters.rateLimiter(name);
        return jobs -> {
            if (!limiter.acquirePermission(Math.max(1, Math.min(jobs, settings.jobsPerPeriod())))) {
                throw new QuotaExceededException(name + " is over its limit of " + settings.jobsPerPeriod()
                        + " submitted jobs per " + settings.period().toMillis() + " ms", settings.period());
            }
        };
    }

    /** The current call's quota; unlimited without authentication. */
    static SubmitQuota current() {
        SubmitQuota quota = QUOTA.get();
        return quota == null ? SubmitQuota.UNLIMITED : quota;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Caller caller = Caller.current();
        if (caller == null || !RbacPolicy.isMutating(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(QUOTA, quotaFor(caller.identity().name())), call,
                headers, next);
    }
}
