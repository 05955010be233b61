package dev.conveyor.worker;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.util.concurrent.Callable;

/**
 * Calls to one target service, each through that service's circuit breaker and a bounded retry.
 * An open breaker fails the call at once with {@link CallNotPermittedException}; thrown from a
 * handler, that is a retryable failure, so the job comes back after its backoff.
 */
public final class OutboundCall {

    /** A call that returns nothing. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private final CircuitBreaker breaker;
    private final Retry retry;

    OutboundCall(CircuitBreaker breaker, Retry retry) {
        this.breaker = breaker;
        this.retry = retry;
    }

    public <T> T call(Callable<T> call) throws Exception {
        return Retry.decorateCallable(retry, CircuitBreaker.decorateCallable(breaker, call)).call();
    }

    public void run(Action action) throws Exception {
        call(() -> {
            action.run();
            return null;
        });
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }
}
