package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One pool may hold two epochs of one job: an old execution whose lease was reaped, still in
 * flight (its handler not yet returned or its completion not yet refused), and the same job
 * claimed again. The heartbeat must renew the live epoch whichever order the leases come in.
 */
@ExtendWith(TestDatabase.class)
class HeartbeatEpochsIT {

    @Test
    void aHeartbeatHoldingTwoEpochsOfOneJobRenewsTheLiveOneInEitherOrder(TestDb db) {
        QueueManager manager = new QueueManager(db.open());
        long id = manager.submit(Jobs.noop("two-epochs")).jobId();
        ClaimedJob old = manager.claim(new ClaimRequest("two-epochs", "pool", 1, Duration.ofMillis(100))).get(0);
        Conditions.await(Duration.ofSeconds(10), "the first lease to be reaped", () -> manager.reapExpired(10) == 1);
        ClaimedJob live = manager.claim(new ClaimRequest("two-epochs", "pool", 1, Duration.ofSeconds(5))).get(0);
        assertThat(live.id()).isEqualTo(id);
        assertThat(live.leaseEpoch()).isGreaterThan(old.leaseEpoch());

        for (List<Lease> order : List.of(List.of(old.lease(), live.lease()), List.of(live.lease(), old.lease()))) {
            db.update("UPDATE job SET lease_expires_at = TIMESTAMPADD(SECOND, 2, NOW(6)) WHERE id = ?", id);

            HeartbeatResult result = manager.heartbeat("pool", order, Duration.ofMinutes(10));

            assertThat(result.lost()).as("leases lost, heartbeat of %s", order).containsExactly(old.lease());
            assertThat(result.cancelRequested()).isEmpty();
            assertThat(db.queryLong("SELECT TIMESTAMPDIFF(SECOND, NOW(6), lease_expires_at) FROM job WHERE id = ?",
                    id)).as("seconds left on the live lease after the heartbeat of %s", order)
                    .isGreaterThan(500);
        }
        assertThat(manager.get(id).state()).isEqualTo(JobState.RUNNING);
    }
}
