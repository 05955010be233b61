package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitResult;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Handlers that run too long: stopped at their time limit and failed with a reason that names it;
 * those that also ignore the interrupt are abandoned after the stop grace, their slot freed, and
 * their late results and writes refused.
 */
@ExtendWith(TestDatabase.class)
class WorkerPoolTimeLimitIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration LIMIT = Duration.ofMillis(500);
    private static final Duration GRACE = Duration.ofMillis(500);

    private final QueueManager queueManager;
    private final ExecutionLog executions;

    WorkerPoolTimeLimitIT(TestDb db) {
        this.queueManager = new QueueManager(db.open());
        this.executions = new ExecutionLog(db);
    }

    @Test
    void aHandlerPastItsLimitIsInterruptedRetriedAndEndsDeadWithTheLimitAsItsReason() {
        String queue = "time-limit";
        List<Duration> ranFor = new CopyOnWriteArrayList<>();
        long id = queueManager.submit(NewJob.builder(queue, "slow").maxAttempts(3).build()).jobId();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withHandlerTimeout(LIMIT);
        try (WorkerPool pool = WorkerPool.builder(queueManager, config).meterRegistry(meters)
                .handler("slow", ctx -> {
                    long started = System.nanoTime();
                    try {
                        Thread.sleep(Duration.ofMinutes(5));
                        return Outcome.succeeded(null, ExecutionLog.record(ctx));
                    } finally {
                        ranFor.add(Duration.ofNanos(System.nanoTime() - started));
                    }
                }, attempt -> Duration.ofMillis(50))
                .build()) {
            pool.start();
            Conditions.await(DEADLINE, "job DEAD", () -> queueManager.get(id).state() == JobState.DEAD);
            assertThat(pool.abandonedHandlers()).as("the handlers stopped when interrupted").isZero();
        }
        JobSnapshot job = queueManager.get(id);
        assertThat(job.attempt()).isEqualTo(3);
        assertThat(job.lastError()).isEqualTo("attempt 3 of 3 failed, no attempts left: "
                + "handler ran past its time limit of 500ms");
        // Not stopped early. The limit runs from when the pool starts the execution, a moment before
        // the handler's first line (span and log context), so the handler itself sees a little less.
        assertThat(ranFor).hasSize(3).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(LIMIT.minusMillis(50)));
        assertThat(executions.rows(id)).isZero();
        assertThat(meters.get("conveyor.worker.handler.timeouts").counter().count()).isEqualTo(3.0);
        assertThat(meters.get("conveyor.worker.jobs.retried").counter().count()).isEqualTo(2.0);
        assertThat(meters.get("conveyor.worker.jobs.dead").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("conveyor.worker.handler.abandoned").gauge().value()).isZero();
    }

    @Test
    void aHandlerThatIgnoresInterruptionIsAbandonedItsSlotFreedAndItsLateResultRefused() throws Exception {
        String queue = "stubborn";
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger interruptsIgnored = new AtomicInteger();
        List<Boolean> lateEvents = new CopyOnWriteArrayList<>();
        CountDownLatch returned = new CountDownLatch(2);
        long stubborn = queueManager.submit(NewJob.builder(queue, "stubborn").maxAttempts(2).build()).jobId();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // One slot: ordinary jobs can only run once the stuck handlers' slot is handed back.
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withSlots(1).withHandlerTimeout(LIMIT)
                .withStopGrace(GRACE);
        try (WorkerPool pool = WorkerPool.builder(queueManager, config).meterRegistry(meters)
                .handler("stubborn", ctx -> {
                    boolean released = false;
                    while (!released) {
                        try {
                            released = release.await(1, TimeUnit.MINUTES);
                        } catch (InterruptedException swallowed) {
                            interruptsIgnored.incrementAndGet();
                        }
                    }
                    // Woken long after it was given up on: its writes and its result must go nowhere.
                    lateEvents.add(ctx.event("late", "OK", null, "finished after all"));
                    returned.countDown();
                    return Outcome.succeeded(null, ExecutionLog.record(ctx));
                }, attempt -> Duration.ofMillis(50))
                .handler("record", ctx -> Outcome.succeeded(null, ExecutionLog.record(ctx)))
                .build()) {
            pool.start();
            Conditions.await(DEADLINE, "the stubborn job DEAD", () -> queueManager.get(stubborn).state() == JobState.DEAD);
            JobSnapshot dead = queueManager.get(stubborn);
            assertThat(dead.attempt()).isEqualTo(2);
            assertThat(dead.lastError()).endsWith(": handler ran past its time limit of 500ms and did not stop within "
                    + "500ms of being interrupted; its thread was abandoned");
            assertThat(interruptsIgnored.get()).isGreaterThanOrEqualTo(2);
            assertThat(pool.abandonedHandlers()).isEqualTo(2);
            assertThat(meters.get("conveyor.worker.handler.abandoned").gauge().value()).isEqualTo(2.0);

            List<Long> ordinary = queueManager.submitAll(IntStream.range(0, 5)
                            .mapToObj(i -> NewJob.builder(queue, "record").build()).toList())
                    .stream().map(SubmitResult::jobId).toList();
            Conditions.await(DEADLINE, "ordinary jobs done on the freed slot",
                    () -> ordinary.stream().allMatch(j -> queueManager.get(j).state() == JobState.SUCCEEDED));
            for (long j : ordinary) {
                assertThat(executions.rows(j)).as("job %d completed exactly once", j).isEqualTo(1);
            }

            release.countDown();
            assertThat(returned.await(30, TimeUnit.SECONDS)).as("the abandoned handlers returned").isTrue();
            Conditions.await(DEADLINE, "the abandoned threads no longer counted", () -> pool.abandonedHandlers() == 0);
            assertThat(pool.leasesHeld()).isZero();
        }
        assertThat(lateEvents).as("late events fenced").containsExactly(false, false);
        JobSnapshot job = queueManager.get(stubborn);
        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(executions.rows(stubborn)).as("the late successes were never recorded").isZero();
        assertThat(meters.get("conveyor.worker.handler.timeouts").counter().count()).isEqualTo(2.0);
        assertThat(meters.get("conveyor.worker.completions").tag("outcome", "succeeded").counter().count())
                .as("only the ordinary jobs completed").isEqualTo(5.0);
    }

    @Test
    void aCancelledHandlerThatIgnoresInterruptionIsAbandonedAfterTheGraceAndTheJobIsCancelled() throws Exception {
        String queue = "stubborn-cancel";
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long stubborn = queueManager.submit(NewJob.builder(queue, "stubborn").build()).jobId();
        // The pool's limit is far away: only the cancellation and the grace can free the slot.
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withSlots(1).withLeaseDuration(Duration.ofSeconds(3))
                .withStopGrace(GRACE);
        try (WorkerPool pool = WorkerPool.builder(queueManager, config)
                .handler("stubborn", ctx -> {
                    started.countDown();
                    ignoreInterruptsUntil(release);
                    return Outcome.succeeded(null, ExecutionLog.record(ctx));
                })
                .handler("record", ctx -> Outcome.succeeded(null, ExecutionLog.record(ctx)))
                .build()) {
            pool.start();
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            long ordinary = queueManager.submit(NewJob.builder(queue, "record").build()).jobId();
            assertThat(queueManager.cancel(stubborn, "operator gave up on it", "test")).isEqualTo(JobState.RUNNING);

            Conditions.await(DEADLINE, "the stubborn job CANCELLED",
                    () -> queueManager.get(stubborn).state() == JobState.CANCELLED);
            Conditions.await(DEADLINE, "the ordinary job done on the freed slot",
                    () -> queueManager.get(ordinary).state() == JobState.SUCCEEDED);
            assertThat(pool.abandonedHandlers()).isEqualTo(1);
            assertThat(executions.rows(ordinary)).isEqualTo(1);

            release.countDown();
            Conditions.await(DEADLINE, "the abandoned thread returned", () -> pool.abandonedHandlers() == 0);
        }
        assertThat(queueManager.get(stubborn).state()).isEqualTo(JobState.CANCELLED);
        assertThat(executions.rows(stubborn)).isZero();
    }

    @Test
    void aHandlerMayAskForLessTimeThanThePool() {
        String queue = "short-limit";
        long id = queueManager.submit(NewJob.builder(queue, "quick-or-nothing").maxAttempts(1).build()).jobId();
        JobHandler quickOrNothing = new JobHandler() {
            @Override
            public Outcome handle(JobContext ctx) throws Exception {
                Thread.sleep(Duration.ofMinutes(5));
                return Outcome.succeeded();
            }

            @Override
            public Duration timeLimit() {
                return Duration.ofMillis(300);
            }
        };
        // The pool's own limit (30 min by default) would hold the job far past the test's deadline.
        try (WorkerPool pool = WorkerPool.builder(queueManager, WorkerPoolConfig.of(queue))
                .handler("quick-or-nothing", quickOrNothing).build()) {
            pool.start();
            Conditions.await(DEADLINE, "job DEAD", () -> queueManager.get(id).state() == JobState.DEAD);
        }
        assertThat(queueManager.get(id).lastError()).endsWith(": handler ran past its time limit of 300ms");
    }

    /** A handler that swallows every interrupt, as a stuck driver call or a careless loop would. */
    private static void ignoreInterruptsUntil(CountDownLatch release) {
        boolean released = false;
        while (!released) {
            try {
                released = release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException swallowed) {
                // and waits on
            }
        }
    }
}
