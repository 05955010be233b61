package dev.conveyor.worker;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breakers and retries of one process, one per named target service. Share one
 * instance across the pools of a process: a breaker protects a service from all of its callers
 * here, not from one pool's.
 *
 * <p>Breakers are per service (the BMC API, the switch API), not per host: with a breaker per
 * host, one host's failures are hidden among the healthy ones and the breakers never learn.
 *
 * <p>Meters: {@code conveyor.outbound.breaker.state} (0 closed, 1 open, 2 half-open, 3 other) and
 * {@code conveyor.outbound.breaker.transitions} (by from/to), {@code conveyor.outbound.calls.rejected};
 * each transition is also logged.
 */
public final class OutboundCalls {
    private static final Logger log = LoggerFactory.getLogger(OutboundCalls.class);
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    private final CircuitBreakerRegistry breakers;
    private final RetryRegistry retries;
    private final MeterRegistry meters;
    /** Filled on first use of a target by any handler thread; read by all of them. */
    private final Map<String, OutboundCall> targets = new ConcurrentHashMap<>();

    public OutboundCalls(OutboundConfig config, MeterRegistry meters) {
        this.meters = meters;
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.slidingWindowCalls())
                .minimumNumberOfCalls(config.minimumCalls())
                .failureRateThreshold(config.failureRateThreshold())
                .waitDurationInOpenState(config.openDuration())
                .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
                // The caller's own mistakes and interruptions say nothing about the service's health.
                .ignoreExceptions(NonRetryableException.class, InterruptedException.class)
                .build());
        this.retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(config.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(config.initialBackoff(), 2.0,
                        config.jitter(), config.maxBackoff()))
                // An open breaker must fail fast, not be retried into.
                .ignoreExceptions(CallNotPermittedException.class, NonRetryableException.class,
                        InterruptedException.class)
                .build());
    }

    /** The guarded calls to {@code service}; the same breaker for every caller that names it. */
    public OutboundCall target(String service) {
        if (service == null || !TARGET.matcher(service).matches()) {
            throw new IllegalArgumentException("target service must match " + TARGET.pattern());
        }
        return targets.computeIfAbsent(service, this::create);
    }

    private OutboundCall create(String service) {
        CircuitBreaker breaker = breakers.circuitBreaker(service);
        Gauge.builder("conveyor.outbound.breaker.state", breaker, OutboundCalls::stateCode)
                .tag("target", service).description("0 closed, 1 open, 2 half-open, 3 other")
                .register(meters);
        Counter rejected = Counter.builder("conveyor.outbound.calls.rejected").tag("target", service)
                .description("calls refused by an open breaker").register(meters);
        breaker.getEventPublisher()
                .onCallNotPermitted(e -> rejected.increment())
                .onStateTransition(e -> {
                    var transition = e.getStateTransition();
                    Counter.builder("conveyor.outbound.breaker.transitions").tags("target", service,
                                    "from", transition.getFromState().name(), "to", transition.getToState().name())
                            .register(meters).increment();
                    if (transition.getToState() == CircuitBreaker.State.OPEN) {
                        log.warn("circuit breaker for {} opened ({} → {}): calls fail fast for a while", service,
                                transition.getFromState(), transition.getToState());
                    } else {
                        log.info("circuit breaker for {}: {} → {}", service, transition.getFromState(),
                                transition.getToState());
                    }
                });
        Retry retry = retries.retry(service);
        return new OutboundCall(breaker, retry);
    }

    private static int stateCode(CircuitBreaker breaker) {
        return switch (breaker.getState()) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 3;
        };
    }
}
