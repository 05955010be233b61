package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class LeaseReaperIT {

    @Test
    void returnsAnAbandonedLeaseToTheQueueAndSaysSo(TestDb db) throws Exception {
        QueueManager queueManager = new QueueManager(db.open());
        long id = queueManager.submit(NewJob.builder("reaped", "work").build()).jobId();
        // A worker that claims and then vanishes: nobody renews its short lease.
        assertThat(queueManager.claim(new ClaimRequest("reaped", "vanished-worker", 1, Duration.ofMillis(300))))
                .hasSize(1);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CountDownLatch reaped = new CountDownLatch(1);

        try (LeaseReaper reaper = new LeaseReaper(queueManager, new LeaseReaper.Config(Duration.ofMillis(100), 10),
                meters, reaped::countDown)) {
            reaper.start();
            assertThat(reaped.await(30, TimeUnit.SECONDS)).as("reaper reported a round with reaped leases").isTrue();
        }

        JobSnapshot job = queueManager.get(id);
        assertThat(job.state()).isEqualTo(JobState.READY);
        assertThat(job.leaseOwner()).isNull();
        assertThat(meters.get("conveyor.reaper.leases.expired").counter().count()).isEqualTo(1.0);
    }
}
