package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.ConnectionBounds;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.FaultProxy;
import dev.conveyor.core.testing.FaultProxy.Direction;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pool's meters count what the database recorded, not what the worker hoped for. */
@ExtendWith(TestDatabase.class)
class WorkerPoolMetricsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final TestDb db;
    private final QueueManager direct;

    WorkerPoolMetricsIT(TestDb db) {
        this.db = db;
        this.direct = new QueueManager(db.open());
    }

    @Test
    void aSuccessWhoseTransactionalWorkFailedCountsAsTheRetryItBecame() {
        String queue = "work-fails";
        long id = direct.submit(NewJob.builder(queue, "book").maxAttempts(3).build()).jobId();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (WorkerPool pool = WorkerPool.builder(direct, WorkerPoolConfig.of(queue).withSlots(1))
                .meterRegistry(meters)
                .handler("book", ctx -> Outcome.succeeded(null, connection -> {
                    throw new IllegalStateException("the ledger refused the booking");
                })).build()) {
            pool.start();
            // READY again after its first attempt (it is READY before its claim too), and the
            // completion counted: whatever it is counted as, exactly one completion is.
            Conditions.await(DEADLINE, "the first attempt recorded and counted",
                    () -> direct.get(id).attempt() == 1 && direct.get(id).state() == JobState.READY
                            && pool.leasesHeld() == 0 && meters.find("conveyor.worker.completions").counters()
                                    .stream().mapToDouble(Counter::count).sum() >= 1);
        }
        JobSnapshot job = direct.get(id);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.lastError()).contains("completion work failed").contains("the ledger refused the booking");
        assertThat(completions(meters, "retry")).isEqualTo(1.0);
        assertThat(completions(meters, "succeeded")).as("successes counted").isZero();
        assertThat(meters.get("conveyor.worker.jobs.retried").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("conveyor.worker.jobs.dead").counter().count()).isZero();
    }

    /**
     * The completion's commit reaches the database and commits; its acknowledgement never comes
     * back (that one connection goes half-open), so the worker's socket timeout fails the call and
     * the retry, on another connection, finds the lease gone: its own completion's doing, which
     * the job's history shows. Counted as a lost lease, it would page someone for nothing.
     */
    @Test
    void aCompletionThatCommittedButWhoseAcknowledgementWasLostCountsAsCompleted() {
        String queue = "ack-lost";
        long id = direct.submit(NewJob.builder(queue, "work").build()).jobId();
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withSlots(1).withLeaseDuration(Duration.ofSeconds(8))
                .withHeartbeatInterval(Duration.ofSeconds(2));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int databasePort = URI.create(db.jdbcUrl().substring("jdbc:".length())).getPort();
        try (FaultProxy proxy = FaultProxy.start(databasePort);
                // A 2 s socket timeout: the lost acknowledgement fails the call well within the lease.
                Database viaProxy = Database.open(DatabaseConfig.of(proxy.through(db.jdbcUrl()), db.user(),
                        db.password()).withMigrate(false).withBounds(ConnectionBounds.of(Duration.ofSeconds(2),
                                Duration.ofSeconds(1), Duration.ofSeconds(1))));
                WorkerPool pool = WorkerPool.builder(new QueueManager(viaProxy), config).meterRegistry(meters)
                        .handler("work", ctx -> Outcome.succeeded()).build()) {
            proxy.halfOpenAfter("SET state = 'SUCCEEDED'", "COMMIT", Direction.TO_CLIENT);
            pool.start();
            Conditions.await(DEADLINE, "the completion's commit sent, its answer held", () -> proxy.triggered() == 1);
            Conditions.await(DEADLINE, "the completion committed", () -> direct.get(id).state() == JobState.SUCCEEDED);
            Conditions.await(DEADLINE, "the pool to give the lease up", () -> pool.leasesHeld() == 0);
        }
        assertThat(direct.get(id).attempt()).as("attempts: the job ran once").isEqualTo(1);
        assertThat(completions(meters, "succeeded")).isEqualTo(1.0);
        assertThat(meters.get("conveyor.worker.lease.losses").counter().count()).as("leases counted lost").isZero();
    }

    private static double completions(SimpleMeterRegistry meters, String outcome) {
        Counter counter = meters.find("conveyor.worker.completions").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
