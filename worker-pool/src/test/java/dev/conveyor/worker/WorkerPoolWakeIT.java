package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.NewJob;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An idle pool waits a full minute between claims here, so a job that starts within seconds was
 * picked up because something woke the pool, not because it polled.
 */
@ExtendWith(TestDatabase.class)
class WorkerPoolWakeIT {
    private static final Duration IDLE = Duration.ofMinutes(1);
    private static final long GENEROUS_SECONDS = 10;

    private final TestDb db;
    private final QueueManager queueManager;

    WorkerPoolWakeIT(TestDb db) {
        this.db = db;
        this.queueManager = new QueueManager(db.open());
    }

    @Test
    void aSubmissionInTheSameProcessWakesAnIdlePool() throws Exception {
        String queue = "wake-local";
        LinkedBlockingQueue<Long> started = new LinkedBlockingQueue<>();
        try (WorkerPool pool = idlePool(queue, started)) {
            pool.start();
            long first = queueManager.submit(NewJob.builder(queue, "note").build()).jobId();
            assertThat(started.poll(GENEROUS_SECONDS, TimeUnit.SECONDS)).isEqualTo(first);

            long second = queueManager.submit(NewJob.builder(queue, "note").build()).jobId();

            assertThat(started.poll(GENEROUS_SECONDS, TimeUnit.SECONDS)).isEqualTo(second);
        }
    }

    @Test
    void wakeEndsTheIdleWaitForJobsSubmittedElsewhere() throws Exception {
        String queue = "wake-remote";
        QueueManager otherProcess = new QueueManager(db.openFresh());
        LinkedBlockingQueue<Long> started = new LinkedBlockingQueue<>();
        try (WorkerPool pool = idlePool(queue, started)) {
            pool.start();
            long first = otherProcess.submit(NewJob.builder(queue, "note").build()).jobId();
            pool.wake();
            assertThat(started.poll(GENEROUS_SECONDS, TimeUnit.SECONDS)).isEqualTo(first);

            long second = otherProcess.submit(NewJob.builder(queue, "note").build()).jobId();
            pool.wake();

            assertThat(started.poll(GENEROUS_SECONDS, TimeUnit.SECONDS)).isEqualTo(second);
        }
    }

    private WorkerPool idlePool(String queue, LinkedBlockingQueue<Long> started) {
        return WorkerPool.builder(queueManager, WorkerPoolConfig.of(queue).withIdlePoll(IDLE, IDLE))
                .handler("note", ctx -> {
                    started.add(ctx.jobId());
                    return Outcome.succeeded();
                }).build();
    }
}
