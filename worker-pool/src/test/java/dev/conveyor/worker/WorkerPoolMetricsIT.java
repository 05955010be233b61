package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

    private static double completions(SimpleMeterRegistry meters, String outcome) {
        Counter counter = meters.find("conveyor.worker.completions").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
