package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What happens to a running handler when its job is cancelled, its lease is lost, or its pool stops. */
@ExtendWith(TestDatabase.class)
class WorkerPoolLeaseIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final TestDb db;
    private final QueueManager queueManager;
    private final ExecutionLog executions;

    WorkerPoolLeaseIT(TestDb db) {
        this.db = db;
        this.queueManager = new QueueManager(db.open());
        this.executions = new ExecutionLog(db);
    }

    @Test
    void cancellingARunningJobInterruptsItsHandlerAndTheJobEndsCancelled() throws Exception {
        String queue = "cancel-running";
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        long id = queueManager.submit(NewJob.builder(queue, "block").build()).jobId();
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withLeaseDuration(Duration.ofSeconds(3))
                .withStopGrace(Duration.ofSeconds(1));
        try (WorkerPool pool = WorkerPool.builder(queueManager, config).handler("block", ctx -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
                return Outcome.succeeded();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }).build()) {
            pool.start();
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(queueManager.cancel(id, "operator changed their mind", "test")).isEqualTo(JobState.RUNNING);

            // The request travels through the next heartbeat (every second here).
            assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("handler interrupted").isTrue();
            Conditions.await(DEADLINE, "job CANCELLED", () -> queueManager.get(id).state() == JobState.CANCELLED);
        }
        assertThat(queueManager.get(id).attempt()).isEqualTo(1);
    }

    @Test
    void aHandlerWhoseLeaseWasReapedCannotCompleteAndTheJobCompletesOnceElsewhere() throws Exception {
        String queue = "reaped-lease";
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch letFirstFinish = new CountDownLatch(1);
        Set<String> ranOn = ConcurrentHashMap.newKeySet();
        long id = queueManager.submit(NewJob.builder(queue, "record").build()).jobId();
        // Heartbeats every 10 s: the test takes the lease away well before the first one. One slot:
        // the stalled pool cannot claim the job again itself.
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withSlots(1).withLeaseDuration(Duration.ofSeconds(30));
        SimpleMeterRegistry firstMeters = new SimpleMeterRegistry();
        try (WorkerPool first = WorkerPool.builder(queueManager, config).owner("first").meterRegistry(firstMeters)
                .handler("record", ctx -> {
                    ranOn.add(ctx.worker());
                    firstStarted.countDown();
                    // A stalled worker (a long GC pause, a frozen VM) that ignores interruption.
                    boolean released = false;
                    while (!released) {
                        try {
                            released = letFirstFinish.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException ignoredLikeAStalledWorkerWould) {
                            released = false;
                        }
                    }
                    return Outcome.succeeded(null, ExecutionLog.record(ctx));
                }).build()) {
            first.start();
            assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
            expireAndReap(id);

            try (WorkerPool second = WorkerPool.builder(new QueueManager(db.openFresh()), config).owner("second")
                    .handler("record", ctx -> {
                        ranOn.add(ctx.worker());
                        return Outcome.succeeded(null, ExecutionLog.record(ctx));
                    }).build()) {
                second.start();
                Conditions.await(DEADLINE, "job completed by the second pool",
                        () -> queueManager.get(id).state() == JobState.SUCCEEDED);
            }

            letFirstFinish.countDown();
            Conditions.await(DEADLINE, "the first pool's completion refused and its slot freed",
                    () -> firstMeters.get("conveyor.worker.lease.losses").counter().count() == 1.0
                            && first.leasesHeld() == 0);
        }
        JobSnapshot job = queueManager.get(id);
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(ranOn).containsExactlyInAnyOrder("first", "second");
        assertThat(executions.rowsOf(id)).singleElement().satisfies(row -> {
            assertThat(row.get("worker")).isEqualTo("second");
            assertThat(((Number) row.get("attempt")).intValue()).isEqualTo(2);
        });
    }

    @Test
    void aLeaseFoundLostByTheHeartbeatInterruptsItsHandlerAndDropsItsResult() throws Exception {
        String queue = "lost-at-heartbeat";
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        long id = queueManager.submit(NewJob.builder(queue, "block").build()).jobId();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // Renewed every second; one slot, so the pool cannot take the job back itself.
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withSlots(1).withLeaseDuration(Duration.ofSeconds(3))
                .withStopGrace(Duration.ofSeconds(1));
        try (WorkerPool pool = WorkerPool.builder(queueManager, config).meterRegistry(meters).handler("block", ctx -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
                return Outcome.succeeded();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }).build()) {
            pool.start();
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            expireAndReap(id);
            List<ClaimedJob> takenOver = queueManager.claim(new ClaimRequest(queue, "another-worker", 1,
                    Duration.ofMinutes(5)));
            assertThat(takenOver).singleElement().extracting(ClaimedJob::id).isEqualTo(id);

            assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("handler interrupted").isTrue();
            Conditions.await(DEADLINE, "the loss counted and the slot freed",
                    () -> meters.get("conveyor.worker.lease.losses").counter().count() == 1.0 && pool.leasesHeld() == 0);
        }
        JobSnapshot job = queueManager.get(id);
        assertThat(job.state()).as("untouched by the pool that lost it").isEqualTo(JobState.RUNNING);
        assertThat(job.leaseOwner()).isEqualTo("another-worker");
        assertThat(job.attempt()).isEqualTo(2);
    }

    /** Lets the lease run out now, as if the worker had stalled for a whole lease, and reaps it. */
    private void expireAndReap(long id) {
        Conditions.await(DEADLINE, "lease of job " + id + " reaped", () -> {
            db.update("UPDATE job SET lease_expires_at = TIMESTAMPADD(SECOND, -1, NOW(6)) WHERE id = ? "
                    + "AND state = 'RUNNING'", id);
            queueManager.reapExpired(100);
            return queueManager.get(id).state() == JobState.READY;
        });
    }

    @Test
    void closingHandsUnfinishedJobsBackReadyWithTheirAttemptNotSpent() throws Exception {
        String queue = "graceful";
        CountDownLatch started = new CountDownLatch(2);
        List<Long> ids = queueManager.submitAll(List.of(
                        NewJob.builder(queue, "forever").build(), NewJob.builder(queue, "forever").build()))
                .stream().map(r -> r.jobId()).toList();
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withSlots(2)
                .withShutdownTimeout(Duration.ofMillis(300));
        WorkerPool pool = WorkerPool.builder(queueManager, config)
                .handler("forever", ctx -> {
                    started.countDown();
                    Thread.sleep(Duration.ofMinutes(5));
                    return Outcome.succeeded();
                })
                .build();
        pool.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(queueManager.get(ids.get(0)).attempt()).isEqualTo(1);

        pool.close();

        assertThat(pool.state()).isEqualTo(WorkerPool.State.TERMINATED);
        assertThat(pool.leasesHeld()).isZero();
        for (long id : ids) {
            JobSnapshot job = queueManager.get(id);
            assertThat(job.state()).isEqualTo(JobState.READY);
            assertThat(job.attempt()).as("attempts spent").isZero();
            assertThat(job.leaseOwner()).isNull();
        }
    }
}
