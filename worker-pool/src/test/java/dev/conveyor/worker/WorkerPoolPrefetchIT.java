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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prefetch: a pool claims up to {@code slots + prefetch} jobs, but runs at most {@code slots}
 * handlers; a prefetched job that has not started is cancelled without running and, at shutdown,
 * handed back unstarted with its attempt refunded; long handlers turn prefetch off.
 */
@ExtendWith(TestDatabase.class)
class WorkerPoolPrefetchIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final TestDb db;
    private final QueueManager queueManager;
    private final ExecutionLog executions;

    WorkerPoolPrefetchIT(TestDb db) {
        this.db = db;
        this.queueManager = new QueueManager(db.open());
        this.executions = new ExecutionLog(db);
    }

    @Test
    void runsAtMostSlotsHandlersAndHoldsAtMostSlotsPlusPrefetchLeases() {
        String queue = "prefetch-bounds";
        int slots = 2;
        int prefetch = 3;
        int jobs = 300;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger mostLeases = new AtomicInteger();
        WorkerPool[] pool = new WorkerPool[1];
        JobHandler handler = ctx -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            mostLeases.accumulateAndGet(pool[0].leasesHeld(), Math::max);
            try {
                Thread.sleep(ctx.jobId() % 2);
                return Outcome.succeeded(null, ExecutionLog.record(ctx));
            } finally {
                running.decrementAndGet();
            }
        };
        queueManager.submitAll(IntStream.range(0, jobs).mapToObj(i -> NewJob.builder(queue, "work").build()).toList());
        AtomicInteger mostRunningRows = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (sampling.get()) {
                mostRunningRows.accumulateAndGet((int) db.queryLong(
                        "SELECT COUNT(*) FROM job WHERE queue = ? AND state = 'RUNNING'", queue), Math::max);
            }
        });
        try (WorkerPool p = WorkerPool.builder(queueManager,
                WorkerPoolConfig.of(queue).withSlots(slots).withPrefetch(prefetch).withMaxBatch(50))
                .handler("work", handler).build()) {
            pool[0] = p;
            p.start();
            Conditions.await(DEADLINE, "all jobs SUCCEEDED", () -> db.queryLong(
                    "SELECT COUNT(*) FROM job WHERE queue = ? AND state = 'SUCCEEDED'", queue) == jobs);
        } finally {
            sampling.set(false);
        }
        Conditions.joined(DEADLINE, sampler);

        assertThat(executions.recorded(queue)).isEqualTo(jobs);
        assertThat(executions.recordedTwice(queue)).isEmpty();
        assertThat(mostRunning.get()).as("handlers at once").isBetween(1, slots);
        assertThat(mostLeases.get()).as("leases held by the pool").isLessThanOrEqualTo(slots + prefetch);
        assertThat(mostRunningRows.get()).as("RUNNING rows in the database").isBetween(1, slots + prefetch);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = ? AND attempt <> 1", queue)).isZero();
    }

    @Test
    void aPrefetchedJobIsCancelledWithoutRunningAndTheRestAreHandedBackUnstartedAtShutdown() {
        String queue = "prefetch-waiting";
        CountDownLatch blockerStarted = new CountDownLatch(1);
        CountDownLatch releaseBlocker = new CountDownLatch(1);
        Set<Long> started = ConcurrentHashMap.newKeySet();
        AtomicLong blocker = new AtomicLong();
        JobHandler quick = ctx -> Outcome.succeeded();
        JobHandler handler = ctx -> {
            started.add(ctx.jobId());
            if (blocker.compareAndSet(0, ctx.jobId())) {
                blockerStarted.countDown();
                releaseBlocker.await();
            }
            return Outcome.succeeded(null, ExecutionLog.record(ctx));
        };
        List<Long> warmUp = queueManager.submitAll(IntStream.range(0, 5).mapToObj(i -> NewJob.builder(queue, "quick")
                .build()).toList()).stream().map(SubmitResult::jobId).toList();
        List<Long> waiting = new ArrayList<>();
        WorkerPool pool = WorkerPool.builder(queueManager, WorkerPoolConfig.of(queue).withSlots(1).withPrefetch(2)
                .withShutdownTimeout(Duration.ofSeconds(30))).handler("work", handler).handler("quick", quick).build();
        List<Long> ids;
        try {
            pool.start();
            // Short handlers first: prefetch is used only once handlers are known to be short.
            Conditions.await(DEADLINE, "the quick jobs done", () -> warmUp.stream()
                    .allMatch(id -> queueManager.get(id).state() == JobState.SUCCEEDED));
            ids = queueManager.submitAll(IntStream.range(0, 3).mapToObj(i -> NewJob.builder(queue, "work")
                    .build()).toList()).stream().map(SubmitResult::jobId).toList();
            await(blockerStarted);
            ids.stream().filter(id -> id != blocker.get()).forEach(waiting::add);
            Conditions.await(DEADLINE, "all three claimed by the one-slot pool",
                    () -> pool.leasesHeld() == 3 && db.queryLong(
                            "SELECT COUNT(*) FROM job WHERE queue = ? AND state = 'RUNNING'", queue) == 3);
            assertThat(ids).contains(blocker.get());

            queueManager.cancel(waiting.get(0), "not needed", "test");
            Conditions.await(DEADLINE, "the waiting job cancelled",
                    () -> queueManager.get(waiting.get(0)).state() == JobState.CANCELLED);

            Thread closer = Thread.ofPlatform().start(pool::close);
            Conditions.await(DEADLINE, "the pool stopping", () -> pool.state() == WorkerPool.State.STOPPING);
            releaseBlocker.countDown();
            Conditions.joined(DEADLINE, closer);
        } finally {
            releaseBlocker.countDown();
            pool.close();
        }

        assertThat(started).as("handlers that ran").containsExactly(blocker.get());
        assertThat(queueManager.get(blocker.get()).state()).isEqualTo(JobState.SUCCEEDED);
        JobSnapshot handedBack = queueManager.get(waiting.get(1));
        assertThat(handedBack.state()).as("the prefetched job, handed back unstarted").isEqualTo(JobState.READY);
        assertThat(handedBack.attempt()).as("its attempt refunded").isZero();
        assertThat(executions.rows(waiting.get(0))).isZero();
        assertThat(executions.rows(waiting.get(1))).isZero();
        assertThat(pool.leasesHeld()).isZero();
    }

    @Test
    void longHandlersAreNotPrefetched() {
        String queue = "prefetch-long";
        int jobs = 6;
        AtomicInteger mostLeases = new AtomicInteger();
        WorkerPool[] pool = new WorkerPool[1];
        JobHandler slow = ctx -> {
            mostLeases.accumulateAndGet(pool[0].leasesHeld(), Math::max);
            Thread.sleep(PrefetchGovernor.SHORT.toMillis() * 2);
            return Outcome.succeeded();
        };
        queueManager.submitAll(IntStream.range(0, jobs).mapToObj(i -> NewJob.builder(queue, "slow").build()).toList());
        try (WorkerPool p = WorkerPool.builder(queueManager, WorkerPoolConfig.of(queue).withSlots(1).withPrefetch(5))
                .handler("slow", slow).build()) {
            pool[0] = p;
            p.start();
            Conditions.await(DEADLINE, "all slow jobs SUCCEEDED", () -> db.queryLong(
                    "SELECT COUNT(*) FROM job WHERE queue = ? AND state = 'SUCCEEDED'", queue) == jobs);
        }
        assertThat(mostLeases.get()).as("leases held while a slow handler ran").isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
