package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerPoolConfigTest {

    @Test
    void defaultsRenewTheLeaseThreeTimesPerPeriod() {
        WorkerPoolConfig config = WorkerPoolConfig.of("default");
        assertThat(config.slots()).isEqualTo(WorkerPoolConfig.DEFAULT_SLOTS);
        assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.withLeaseDuration(Duration.ofSeconds(3)).heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void handlersGetHalfAnHourAndThreeSecondsToStopByDefault() {
        WorkerPoolConfig config = WorkerPoolConfig.of("default");
        assertThat(config.handlerTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.stopGrace()).isEqualTo(Duration.ofSeconds(3));
        WorkerPoolConfig listed = new WorkerPoolConfig("default", 8, 50, Duration.ofSeconds(15), Duration.ofSeconds(5),
                Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(30),
                Duration.ofSeconds(3), 0);
        assertThat(listed).isEqualTo(config);
        assertThat(config.prefetch()).as("a library pool claims only for free slots by default").isZero();
        assertThat(config.withPrefetch(5).maxLeases()).isEqualTo(13);
        assertThat(config.withSlots(2).withHandlerTimeout(Duration.ofSeconds(2)).withStopGrace(Duration.ofSeconds(1))
                .withLeaseDuration(Duration.ofSeconds(3)))
                .extracting(WorkerPoolConfig::handlerTimeout, WorkerPoolConfig::stopGrace)
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void theSelfFencingMarginHoldsTheStopGraceAndTheLeaseMustCoverItPlusOneRenewal() {
        WorkerPoolConfig config = WorkerPoolConfig.of("default");
        // 3 s grace + 250 ms of fence checks + 100 ms timer slack + 15 ms (1,000 ppm of 15 s).
        assertThat(config.fenceMargin()).isEqualTo(Duration.ofMillis(3_365));
        assertThat(config.requireLeaseCoversFencing()).isSameAs(config);
        WorkerPoolConfig shortLease = config.withLeaseDuration(Duration.ofSeconds(3));
        assertThat(shortLease.fenceTick()).isEqualTo(Duration.ofMillis(150));
        assertThatThrownBy(shortLease::requireLeaseCoversFencing)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaseDuration (3s) must be longer than heartbeatInterval (1s) plus the "
                        + "self-fencing margin (3253ms: stopGrace 3s")
                .hasMessageContaining("longer than 4253ms");
        assertThat(shortLease.withStopGrace(Duration.ofSeconds(1)).requireLeaseCoversFencing().fenceMargin())
                .isEqualTo(Duration.ofMillis(1_253));
    }

    @Test
    void refusesSettingsThatCannotWork() {
        WorkerPoolConfig ok = WorkerPoolConfig.of("default");
        assertThatThrownBy(() -> ok.withSlots(0)).hasMessageContaining("slots");
        assertThatThrownBy(() -> ok.withMaxBatch(501)).hasMessageContaining("maxBatch");
        assertThatThrownBy(() -> ok.withHeartbeatInterval(Duration.ofSeconds(10)))
                .hasMessageContaining("at most half the lease");
        assertThatThrownBy(() -> ok.withIdlePoll(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("idlePollMin <= idlePollMax");
        assertThatThrownBy(() -> ok.withShutdownTimeout(Duration.ofSeconds(-1))).hasMessageContaining("shutdownTimeout");
        assertThatThrownBy(() -> ok.withHandlerTimeout(Duration.ZERO)).hasMessageContaining("handlerTimeout");
        assertThatThrownBy(() -> ok.withStopGrace(Duration.ZERO)).hasMessageContaining("stopGrace");
        assertThatThrownBy(() -> ok.withPrefetch(-1)).hasMessageContaining("prefetch");
        assertThatThrownBy(() -> ok.withStopGrace(Duration.ofHours(1))).hasMessageContaining("stopGrace");
        assertThatThrownBy(() -> WorkerPoolConfig.of("Not A Queue")).isInstanceOf(RuntimeException.class);
    }
}
