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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class WorkerPoolRetryIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration TYPE_BACKOFF = Duration.ofMillis(300);
    private static final Duration HANDLER_DELAY = Duration.ofMillis(500);

    private final QueueManager queueManager;

    WorkerPoolRetryIT(TestDb db) {
        this.queueManager = new QueueManager(db.open());
    }

    @Test
    void failuresWaitTheirDelayAndTheJobIsDeadAfterItsLastAttempt() {
        String queue = "retry";
        List<Long> startedAt = new CopyOnWriteArrayList<>();
        long id = queueManager.submit(NewJob.builder(queue, "flaky").maxAttempts(3).build()).jobId();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (WorkerPool pool = WorkerPool.builder(queueManager, WorkerPoolConfig.of(queue)).meterRegistry(meters)
                .handler("flaky", ctx -> {
                    startedAt.add(System.nanoTime());
                    if (ctx.attempt() == 2) {
                        return new Outcome.Retry("target busy", HANDLER_DELAY);
                    }
                    throw new IOException("connection reset on attempt " + ctx.attempt());
                }, attempt -> TYPE_BACKOFF)
                .build()) {
            pool.start();
            Conditions.await(DEADLINE, "job DEAD", () -> queueManager.get(id).state() == JobState.DEAD);
        }
        JobSnapshot job = queueManager.get(id);
        assertThat(job.attempt()).isEqualTo(3);
        assertThat(job.lastError()).contains("IOException: connection reset on attempt 3");
        assertThat(startedAt).hasSize(3);
        // Attempt 1 threw: the type's backoff. Attempt 2 returned Retry with its own delay.
        assertThat(Duration.ofNanos(startedAt.get(1) - startedAt.get(0))).isGreaterThanOrEqualTo(TYPE_BACKOFF);
        assertThat(Duration.ofNanos(startedAt.get(2) - startedAt.get(1))).isGreaterThanOrEqualTo(HANDLER_DELAY);
        assertThat(meters.get("conveyor.worker.jobs.retried").counter().count()).isEqualTo(2.0);
        assertThat(meters.get("conveyor.worker.jobs.dead").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aNonRetryableFailureIsDeadAtOnce() {
        String queue = "no-retry";
        long id = queueManager.submit(NewJob.builder(queue, "bad-input").maxAttempts(5).build()).jobId();
        try (WorkerPool pool = WorkerPool.builder(queueManager, WorkerPoolConfig.of(queue))
                .handler("bad-input", ctx -> {
                    throw new NonRetryableException("payload is not a serial number");
                }).build()) {
            pool.start();
            Conditions.await(DEADLINE, "job DEAD", () -> queueManager.get(id).state() == JobState.DEAD);
        }
        JobSnapshot job = queueManager.get(id);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.lastError()).contains("payload is not a serial number");
    }
}
