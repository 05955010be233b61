package dev.conveyor.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One round of the "limit" baseline: W1 (enqueue, then drain at each claim batch and completion) and W2. */
final class LimitBenchmark {
    static final String SYSTEM = "limit";
    static final List<Integer> CLAIM_BATCHES = List.of(1, 10, 50);
    /** W2's workers, as in BENCHMARK.md's reference figures: they sleep this long after an empty claim. */
    static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final String QUEUE = "bench";
    private static final String BATCH_QUEUE = "bench-batch";
    private static final Logger log = LoggerFactory.getLogger(LimitBenchmark.class);

    private final BenchConfig config;
    private final DatabaseServer server;
    private final Processes processes;

    LimitBenchmark(BenchConfig config, DatabaseServer server, Processes processes) {
        this.config = config;
        this.server = server;
        this.processes = processes;
    }

    List<Measurement> round(int round, String database) throws SQLException, InterruptedException {
        List<Measurement> out = new ArrayList<>();
        server.createDatabase(database);
        try {
            LimitQueue queue = new LimitQueue(server, database);
            queue.createSchema();
            if (config.workloads().contains(Workload.W1)) {
                out.addAll(w1(round, queue));
            }
            if (config.workloads().contains(Workload.W2)) {
                queue.truncate();
                out.add(w2(round, queue));
            }
        } finally {
            server.dropDatabase(database);
        }
        return out;
    }

    private List<Measurement> w1(int round, LimitQueue queue) throws SQLException, InterruptedException {
        int n = config.jobs();
        List<Measurement> out = new ArrayList<>();
        warmUp(queue);
        log.info("round {}: limit W1 enqueue of {} jobs, one per transaction", round, n);
        CpuClock cpu = processes.startCpuClock();
        long nanos = queue.enqueueOneByOne(QUEUE, n, BenchConfig.CLIENT_THREADS);
        out.add(Measurement.of(SYSTEM, "1 INSERT per tx", Figure.ENQUEUE_ONE, perSecond(n, nanos),
                new Tally(n, 0, Math.max(0, n - queue.unfinished(QUEUE))), cpu.stop()));

        log.info("round {}: limit W1 enqueue of {} jobs, {} per statement", round, n, BenchConfig.BATCH_SIZE);
        cpu = processes.startCpuClock();
        nanos = queue.enqueueBatched(BATCH_QUEUE, n, BenchConfig.CLIENT_THREADS, BenchConfig.BATCH_SIZE);
        out.add(Measurement.of(SYSTEM, BenchConfig.BATCH_SIZE + "-row INSERT", Figure.ENQUEUE_BATCH,
                perSecond(n, nanos), Tally.NOT_CHECKED, cpu.stop()));

        for (int batch : CLAIM_BATCHES) {
            for (LimitQueue.Completion completion : LimitQueue.Completion.values()) {
                out.add(drain(round, queue, batch, completion));
            }
        }
        return out;
    }

    /** Runs the enqueue and drain paths once, unmeasured, so that the measured runs are of compiled code. */
    private void warmUp(LimitQueue queue) throws SQLException, InterruptedException {
        int n = config.warmupJobs();
        queue.enqueueOneByOne(QUEUE, n, BenchConfig.CLIENT_THREADS);
        AtomicInteger claimed = new AtomicInteger();
        queue.work(QUEUE, new LimitQueue.Workers(BenchConfig.WORKER_SLOTS, 10, LimitQueue.Completion.UPDATE,
                config.recordJobs(), Duration.ZERO), () -> claimed.get() >= n, claimed);
        queue.truncate();
    }

    private Measurement drain(int round, LimitQueue queue, int batch, LimitQueue.Completion completion)
            throws SQLException, InterruptedException {
        int n = config.jobs();
        queue.truncate();
        queue.enqueueBatched(QUEUE, n, BenchConfig.CLIENT_THREADS, BenchConfig.BATCH_SIZE);
        log.info("round {}: limit W1 drain of {} jobs, B = {}, {}", round, n, batch, completion);
        LimitQueue.Workers workers = new LimitQueue.Workers(BenchConfig.WORKER_SLOTS, batch, completion,
                config.recordJobs(), Duration.ZERO);
        AtomicInteger claimed = new AtomicInteger();
        CpuClock cpu = processes.startCpuClock();
        LimitQueue.Drained drained = queue.work(QUEUE, workers, () -> claimed.get() >= n, claimed);
        CpuUsage usage = cpu.stop();
        Tally tally = tally(n, drained.executions(), queue.unfinished(QUEUE));
        String label = "B=" + batch + ", " + completion + (config.recordJobs() ? " + log row" : "");
        return Measurement.of(SYSTEM, label, Figure.DRAIN, perSecond(n, drained.nanos()), tally, usage);
    }

    private Measurement w2(int round, LimitQueue queue) throws SQLException, InterruptedException {
        int count = config.latencyJobs();
        log.info("round {}: limit W2, {} jobs at {}/s on idle workers", round, count, BenchConfig.LATENCY_RATE);
        LimitQueue.Workers workers = new LimitQueue.Workers(BenchConfig.WORKER_SLOTS, 10, LimitQueue.Completion.UPDATE,
                config.recordJobs(), IDLE_POLL);
        AtomicInteger claimed = new AtomicInteger();
        AtomicReference<Exception> submitFailure = new AtomicReference<>();
        CpuClock cpu = processes.startCpuClock();
        Thread submitter = Thread.ofPlatform().name("limit-submitter").start(() -> {
            try {
                submitPaced(queue, count);
            } catch (SQLException | InterruptedException e) {
                submitFailure.set(e);
            }
        });
        LimitQueue.Drained drained = queue.work(QUEUE, workers,
                () -> claimed.get() >= count || submitFailure.get() != null, claimed);
        submitter.join();
        if (submitFailure.get() != null) {
            throw new BenchException("limit W2 submitter failed: " + submitFailure.get(), submitFailure.get());
        }
        CpuUsage usage = cpu.stop();
        Tally tally = tally(count, drained.executions(), queue.unfinished(QUEUE));
        List<Double> latencies = queue.claimLatenciesMillis(QUEUE);
        return new Measurement(SYSTEM, "B=10, " + IDLE_POLL.toMillis() + " ms idle poll", Figure.LATENCY,
                Percentiles.summary(latencies), tally, usage.percentOfCore(), "");
    }

    private static void submitPaced(LimitQueue queue, int count) throws SQLException, InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / BenchConfig.LATENCY_RATE;
        long start = System.nanoTime();
        try (Connection c = queue.connect()) {
            for (int i = 0; i < count; i++) {
                sleepUntil(start + i * interval);
                queue.enqueueOne(c, QUEUE);
            }
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static Tally tally(int n, Map<Long, Integer> executions, long unfinished) {
        long duplicates = executions.values().stream().filter(c -> c > 1).count();
        long missing = Math.max(n - executions.size(), unfinished);
        return new Tally(n, duplicates, missing);
    }

    static double perSecond(long jobs, long nanos) {
        return jobs / (nanos / 1e9);
    }
}
