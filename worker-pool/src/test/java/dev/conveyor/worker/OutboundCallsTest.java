package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboundCallsTest {
    /** Opens after 4 calls with half of them failed; 2 tries per call, 1–2 ms apart. */
    private static final OutboundConfig CONFIG = new OutboundConfig(50f, 4, 4, Duration.ofMinutes(5), 1, 2,
            Duration.ofMillis(1), Duration.ofMillis(2), 0.5);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final OutboundCalls calls = new OutboundCalls(CONFIG, meters);

    @Test
    void theBreakerOpensAfterFailuresThenFailsFastWithoutCallingTheTarget() {
        AtomicInteger reached = new AtomicInteger();
        OutboundCall bmc = calls.target("bmc-api");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> bmc.call(() -> {
                reached.incrementAndGet();
                throw new IOException("connection refused");
            })).isInstanceOf(IOException.class);
        }
        assertThat(reached).as("two calls, two tries each").hasValue(4);
        assertThat(bmc.state()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThatThrownBy(() -> bmc.call(() -> reached.incrementAndGet()))
                .isInstanceOf(CallNotPermittedException.class);

        assertThat(reached).as("an open breaker does not call the target").hasValue(4);
        assertThat(meters.get("conveyor.outbound.breaker.state").tag("target", "bmc-api").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.get("conveyor.outbound.breaker.transitions").tags("target", "bmc-api", "from", "CLOSED",
                "to", "OPEN").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("conveyor.outbound.calls.rejected").tag("target", "bmc-api").counter().count())
                .isEqualTo(1.0);
        assertThat(calls.target("switch-api").state()).as("one breaker per target").isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aTransientFailureIsRetriedAndANonRetryableOneIsNot() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        String result = calls.target("inventory").call(() -> {
            if (tries.incrementAndGet() == 1) {
                throw new IOException("timeout");
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(tries).hasValue(2);

        AtomicInteger refused = new AtomicInteger();
        assertThatThrownBy(() -> calls.target("inventory").run(() -> {
            refused.incrementAndGet();
            throw new NonRetryableException("unknown serial");
        })).isInstanceOf(NonRetryableException.class);
        assertThat(refused).hasValue(1);
    }

    @Test
    void theSameTargetNameIsTheSameBreaker() {
        assertThat(calls.target("bmc-api")).isSameAs(calls.target("bmc-api"));
        assertThatThrownBy(() -> calls.target("bad name")).isInstanceOf(IllegalArgumentException.class);
    }
}
