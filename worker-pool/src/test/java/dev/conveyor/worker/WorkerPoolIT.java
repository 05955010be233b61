package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobEventRecord;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

@ExtendWith(TestDatabase.class)
class WorkerPoolIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final TestDb db;
    private final QueueManager queueManager;
    private final ExecutionLog executions;

    WorkerPoolIT(TestDb db) {
        this.db = db;
        this.queueManager = new QueueManager(db.open());
        this.executions = new ExecutionLog(db);
    }

    @Test
    void twoPoolsRunEveryJobExactlyOnceAndNeverHoldMoreLeasesThanSlots() {
        String queue = "exactly-once";
        int slots = 4;
        int jobs = 400;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        JobHandler handler = ctx -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(ctx.jobId() % 3);
                return Outcome.succeeded(null, ExecutionLog.record(ctx));
            } finally {
                running.decrementAndGet();
            }
        };
        queueManager.submitAll(IntStream.range(0, jobs).mapToObj(i -> NewJob.builder(queue, "work").build()).toList());
        // maxBatch above the slot count: each claim must still ask for no more than the free slots.
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withSlots(slots).withMaxBatch(50);
        Map<String, Long> mostLeasesByOwner = new ConcurrentHashMap<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (sampling.get()) {
                for (Map<String, Object> row : db.queryRows("""
                        SELECT lease_owner, COUNT(*) AS leases FROM job
                        WHERE queue = ? AND state = 'RUNNING' GROUP BY lease_owner""", queue)) {
                    mostLeasesByOwner.merge((String) row.get("lease_owner"), ((Number) row.get("leases")).longValue(),
                            Math::max);
                }
                Thread.onSpinWait();
            }
        });
        List<WorkerPool> pools = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                WorkerPool pool = WorkerPool.builder(new QueueManager(db.openFresh()), config)
                        .handler("work", handler).build();
                pools.add(pool);
                pool.start();
            }
            Conditions.await(DEADLINE, "all jobs recorded", () -> executions.recorded(queue) == jobs);
            Conditions.await(DEADLINE, "all jobs SUCCEEDED", () -> db.queryLong(
                    "SELECT COUNT(*) FROM job WHERE queue = ? AND state = 'SUCCEEDED'", queue) == jobs);
        } finally {
            sampling.set(false);
            pools.forEach(WorkerPool::close);
        }
        Conditions.joined(DEADLINE, sampler);
        assertThat(executions.recordedTwice(queue)).isEmpty();
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = ? AND attempt <> 1", queue))
                .as("jobs that needed more than one attempt").isZero();
        assertThat(mostRunning.get()).isLessThanOrEqualTo(2 * slots);
        assertThat(mostLeasesByOwner).isNotEmpty();
        assertThat(mostLeasesByOwner.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(slots));
        assertThat(pools).allSatisfy(p -> {
            assertThat(p.state()).isEqualTo(WorkerPool.State.TERMINATED);
            assertThat(p.leasesHeld()).isZero();
        });
    }


    @Test
    void handlerSeesItsJobTraceAndEventsAndUnknownTypesFailWithoutRetry() {
        String queue = "context";
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Map<String, String> seen = new ConcurrentHashMap<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        long traced = queueManager.submit(NewJob.builder(queue, "traced")
                .traceParent("00-" + traceId + "-00f067aa0ba902b7-01").build()).jobId();
        long unknown = queueManager.submit(NewJob.builder(queue, "nobody-handles-this").build()).jobId();
        try (WorkerPool pool = WorkerPool.builder(queueManager, WorkerPoolConfig.of(queue)).meterRegistry(meters)
                .handler("traced", ctx -> {
                    seen.put("job_id", MDC.get("job_id"));
                    seen.put("trace_id", MDC.get("trace_id"));
                    assertThat(ctx.event("probe", "OK", "probe --all", "all good")).isTrue();
                    return Outcome.succeeded("done".getBytes());
                }).build()) {
            pool.start();
            Conditions.await(DEADLINE, "both jobs ended", () -> queueManager.get(traced).state().isTerminal()
                    && queueManager.get(unknown).state().isTerminal());
        }
        assertThat(seen).containsEntry("job_id", Long.toString(traced)).containsEntry("trace_id", traceId);
        assertThat(queueManager.get(traced).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(queueManager.get(traced).result()).asString().isEqualTo("done");
        List<JobEventRecord> history = queueManager.events(traced, 0, 100);
        assertThat(history).anySatisfy(e -> {
            assertThat(e.step()).isEqualTo("probe");
            assertThat(e.statusCode()).isEqualTo("OK");
            assertThat(e.command()).isEqualTo("probe --all");
        });
        JobSnapshot dead = queueManager.get(unknown);
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(dead.lastError()).contains("no handler for job type 'nobody-handles-this'");
        assertThat(meters.get("conveyor.worker.completions").tag("outcome", "succeeded").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("conveyor.worker.jobs.dead").counter().count()).isEqualTo(1.0);
    }
}
