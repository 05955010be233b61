package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class PrefetchGovernorTest {
    private static final long SHORT = PrefetchGovernor.SHORT.toNanos() / 10;
    private static final long LONG = PrefetchGovernor.SHORT.toNanos() * 10;

    private final Semaphore leases = new Semaphore(2 + 5);
    private final PrefetchGovernor governor = new PrefetchGovernor(leases, 2, 5);

    @Test
    void prefetchIsParkedUntilHandlersAreKnownToBeShort() {
        assertThat(leases.availablePermits()).as("only the slots' leases at first").isEqualTo(2);
        assertThat(governor.active()).isZero();

        governor.handlerRan(SHORT);

        assertThat(leases.availablePermits()).isEqualTo(7);
        assertThat(governor.active()).isEqualTo(5);
    }

    @Test
    void longHandlersParkThePrefetchAgainAsLeasesAreGivenUp() {
        governor.handlerRan(SHORT);
        assertThat(leases.tryAcquire(7)).as("the poller takes every lease").isTrue();

        for (int i = 0; i < 10; i++) {
            governor.handlerRan(LONG);
        }
        for (int i = 0; i < 7; i++) {
            governor.leaseGivenUp();
        }

        assertThat(governor.active()).isZero();
        assertThat(leases.availablePermits()).as("back to the slots' leases").isEqualTo(2);
    }

    @Test
    void prefetchAddsAboutAQuarterSecondOfWorkPerSlot() {
        Semaphore budget = new Semaphore(2 + 100);
        PrefetchGovernor sized = new PrefetchGovernor(budget, 2, 100);

        sized.handlerRan(PrefetchGovernor.QUEUED_WORK.toNanos() / 20);

        assertThat(sized.active()).as("2 slots × 20 runs each in the budget").isEqualTo(40);
        assertThat(budget.availablePermits()).isEqualTo(42);
    }

    @Test
    void withoutPrefetchEveryLeaseGoesBack() {
        Semaphore slotsOnly = new Semaphore(3);
        PrefetchGovernor none = new PrefetchGovernor(slotsOnly, 3, 0);
        assertThat(slotsOnly.tryAcquire(3)).isTrue();

        none.handlerRan(LONG);
        none.leaseGivenUp();

        assertThat(slotsOnly.availablePermits()).isEqualTo(1);
        assertThat(none.active()).isZero();
    }
}
