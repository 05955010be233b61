package dev.conveyor.bench;

import dev.conveyor.proto.v1.SubmitJobRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of Conveyor, driven as users drive it: submissions through the gRPC API of a
 * {@code conveyor server} process, handlers in {@code conveyor worker} processes. Each workload
 * gets a fresh database ({@link Deployment}); every run ends with the exactly-once check.
 */
final class ConveyorBenchmark {
    static final String SYSTEM = "conveyor";
    /** Jobs submitted in batches but never drained: W1's batched enqueue goes to a queue nobody serves. */
    private static final String BATCH_QUEUE = "bench-batch";
    /** The worker's documented default lease (conveyor worker --lease). */
    private static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
    private static final int W2_WARMUP_JOBS = 100;
    private static final Logger log = LoggerFactory.getLogger(ConveyorBenchmark.class);

    private final BenchConfig config;
    private final DatabaseServer server;
    private final Processes processes;
    private final ConveyorProcess.Launcher launcher;

    ConveyorBenchmark(BenchConfig config, DatabaseServer server, Processes processes,
            ConveyorProcess.Launcher launcher) {
        this.config = config;
        this.server = server;
        this.processes = processes;
        this.launcher = launcher;
    }

    /** The round's measurements; databases are named {@code prefix_w1} … */
    List<Measurement> round(int round, String prefix) throws Exception {
        List<Measurement> out = new ArrayList<>();
        if (config.workloads().contains(Workload.W1)) {
            out.addAll(w1(round, prefix + "_w1"));
        }
        if (config.workloads().contains(Workload.W2)) {
            out.add(w2(round, prefix + "_w2"));
        }
        if (config.workloads().contains(Workload.W3)) {
            out.add(w3(round, prefix + "_w3"));
        }
        if (config.workloads().contains(Workload.W4)) {
            out.add(w4(round, prefix + "_w4"));
        }
        return out;
    }

    private List<Measurement> w1(int round, String database) throws Exception {
        int n = config.jobs();
        String type = config.jobType();
        List<Measurement> out = new ArrayList<>();
        try (Deployment d = Deployment.start(server, launcher, processes, database)) {
            d.api().pause(Deployment.QUEUE);
            ConveyorProcess worker = d.startWorker("worker");

            log.info("round {}: Conveyor W1 enqueue of {} jobs, one per SubmitJob call", round, n);
            SubmitJobRequest job = ConveyorApi.job(Deployment.QUEUE, type, "");
            CpuClock cpu = processes.startCpuClock();
            long nanos = Parallel.run(BenchConfig.CLIENT_THREADS, n, () -> i -> d.api().submit(job));
            CpuUsage usage = cpu.stop();
            long created = d.db().count(Deployment.QUEUE, type, "READY");
            out.add(Measurement.of(SYSTEM, "gRPC SubmitJob", Figure.ENQUEUE_ONE, LimitBenchmark.perSecond(n, nanos),
                    new Tally(n, 0, Math.max(0, n - created)), usage));

            log.info("round {}: Conveyor W1 enqueue of {} jobs, {} per SubmitJobs call", round, n,
                    BenchConfig.BATCH_SIZE);
            cpu = processes.startCpuClock();
            nanos = submitBatched(d.api(), BATCH_QUEUE, type, "", n);
            out.add(Measurement.of(SYSTEM, "gRPC SubmitJobs", Figure.ENQUEUE_BATCH,
                    LimitBenchmark.perSecond(n, nanos), Tally.NOT_CHECKED, cpu.stop()));

            out.add(drain(round, d, worker, Figure.DRAIN, type, n));
        }
        return out;
    }

    private Measurement w2(int round, String database) throws Exception {
        int count = config.latencyJobs();
        String type = config.jobType();
        try (Deployment d = Deployment.start(server, launcher, processes, database)) {
            ConveyorProcess worker = d.startWorker("worker");
            log.info("round {}: Conveyor W2 warm-up, {} jobs at {}/s", round, W2_WARMUP_JOBS, BenchConfig.LATENCY_RATE);
            long lastWarmupId = submitPaced(d, type, W2_WARMUP_JOBS);
            awaitSucceeded(d, worker, type, W2_WARMUP_JOBS);
            log.info("round {}: Conveyor W2, {} jobs at {}/s on an idle worker", round, count,
                    BenchConfig.LATENCY_RATE);
            CpuClock cpu = processes.startCpuClock();
            submitPaced(d, type, count);
            awaitSucceeded(d, worker, type, W2_WARMUP_JOBS + count);
            CpuUsage usage = cpu.stop();
            List<Double> latencies = d.db().startLatenciesMillis(Deployment.QUEUE, type, lastWarmupId);
            Tally tally = d.db().tally(Deployment.QUEUE, type, W2_WARMUP_JOBS + count, config.recordJobs());
            return new Measurement(SYSTEM, "1 worker × " + BenchConfig.WORKER_SLOTS + " slots, DB clock: "
                    + "RUNNING event − created_at", Figure.LATENCY, Percentiles.summary(latencies), tally,
                    usage.percentOfCore(), "");
        }
    }

    /**
     * W3. Both daemons serve the queue from the start; the first is SIGKILLed as soon as no job is
     * left READY, so its in-flight jobs are the orphans and nothing else competes for the second,
     * whose own jobs end within one job time, long before the orphans' leases expire.
     */
    private Measurement w3(int round, String database) throws Exception {
        int count = config.recoveryJobs();
        String payload = Long.toString(config.recoveryJobTime().toMillis());
        try (Deployment d = Deployment.start(server, launcher, processes, database)) {
            d.api().pause(Deployment.QUEUE);
            submitBatchedSerially(d.api(), Deployment.QUEUE, "record", payload, count);
            ConveyorProcess victim = d.startWorker("worker");
            ConveyorProcess survivor = d.startWorker("worker-2");
            String victimOwner = d.leaseOwner(victim);
            d.api().resume(Deployment.QUEUE);
            log.info("round {}: Conveyor W3, {} jobs of {} ms on 2 workers; killing {} once none is READY", round,
                    count, payload, victim);
            Duration runTime = config.recoveryJobTime().multipliedBy(count / BenchConfig.WORKER_SLOTS + 1);
            Await.until("every W3 job to be claimed", runTime.plusSeconds(120), () -> {
                d.requireAlive();
                victim.requireAlive();
            }, () -> d.db().countInState(Deployment.QUEUE, "READY") == 0,
                    () -> d.db().countInState(Deployment.QUEUE, "READY") + " READY");
            long killedAt = d.db().nowMicros();
            victim.kill();
            processes.remove("worker");
            List<Long> orphans = d.db().runningOwnedBy(victimOwner);
            if (orphans.isEmpty()) {
                throw new BenchException("W3: the killed worker held no job; make W3's jobs longer");
            }
            log.info("round {}: killed {} holding {} jobs; waiting for them to run again", round, victim,
                    orphans.size());
            CpuClock cpu = processes.startCpuClock();
            Await.until("the orphans to run again", DEFAULT_LEASE.plusSeconds(120), survivor::requireAlive,
                    () -> d.db().rerunAfter(orphans, killedAt).jobs() == orphans.size(),
                    () -> d.db().rerunAfter(orphans, killedAt).jobs() + " of " + orphans.size() + " running again");
            long recoveredAt = d.db().rerunAfter(orphans, killedAt).latestMicros();
            awaitSucceeded(d, survivor, "record", count);
            CpuUsage usage = cpu.stop();
            Tally tally = d.db().tally(Deployment.QUEUE, "record", count, true);
            return Measurement.of(SYSTEM, "2 workers × " + BenchConfig.WORKER_SLOTS + " slots, lease "
                    + DEFAULT_LEASE.toSeconds() + " s (default), " + count + " jobs of " + payload + " ms",
                    Figure.RECOVERY, (recoveredAt - killedAt) / 1e6, tally, usage)
                    .withNote(orphans.size() + " orphans");
        }
    }

    private Measurement w4(int round, String database) throws Exception {
        int n = config.jobs();
        String type = config.jobType();
        try (Deployment d = Deployment.start(server, launcher, processes, database)) {
            log.info("round {}: Conveyor W4, preloading {} finished jobs", round, config.historyJobs());
            HistoryPreload.preload(d.db(), Deployment.QUEUE, config.historyJobs());
            String sizes = d.db().tableSizes(List.of("job", "job_event"));
            d.api().pause(Deployment.QUEUE);
            ConveyorProcess worker = d.startWorker("worker");
            submitBatched(d.api(), Deployment.QUEUE, type, "", n);
            return drain(round, d, worker, Figure.HISTORY_DRAIN, type, n).withNote(sizes);
        }
    }

    /** Resumes the paused queue and times its drain by the database's clock, first claim to last completion. */
    private Measurement drain(int round, Deployment d, ConveyorProcess worker, Figure figure, String type, int n)
            throws Exception {
        log.info("round {}: Conveyor {} of {} {} jobs", round, figure, n, type);
        CpuClock cpu = processes.startCpuClock();
        d.api().resume(Deployment.QUEUE);
        awaitSucceeded(d, worker, type, n);
        CpuUsage usage = cpu.stop();
        long micros = d.db().drainMicros(Deployment.QUEUE, type);
        Tally tally = d.db().tally(Deployment.QUEUE, type, n, config.recordJobs());
        return Measurement.of(SYSTEM, "1 worker process × " + BenchConfig.WORKER_SLOTS + " slots, " + type + " jobs",
                figure, n / (micros / 1e6), tally, usage);
    }

    private void awaitSucceeded(Deployment d, ConveyorProcess worker, String type, int n) throws Exception {
        Duration timeout = Duration.ofSeconds(Math.max(300, n / 50));
        Await.until(n + " " + type + " jobs to succeed", timeout, () -> {
            d.requireAlive();
            worker.requireAlive();
        }, () -> d.db().count(Deployment.QUEUE, type, "SUCCEEDED") >= n,
                () -> d.db().count(Deployment.QUEUE, type, "SUCCEEDED") + " succeeded");
    }

    /** Submits {@code count} jobs one at a time at the W2 rate; returns the last job's id. */
    private static long submitPaced(Deployment d, String type, int count) throws InterruptedException {
        SubmitJobRequest job = ConveyorApi.job(Deployment.QUEUE, type, "");
        long interval = TimeUnit.SECONDS.toNanos(1) / BenchConfig.LATENCY_RATE;
        long start = System.nanoTime();
        long last = 0;
        for (int i = 0; i < count; i++) {
            LimitBenchmark.sleepUntil(start + i * interval);
            last = d.api().submit(job);
        }
        return last;
    }

    /** Submits {@code n} jobs in SubmitJobs calls of up to 1,000 from the client threads; returns the nanoseconds. */
    private static long submitBatched(ConveyorApi api, String queue, String type, String payload, int n)
            throws InterruptedException {
        SubmitJobRequest job = ConveyorApi.job(queue, type, payload);
        int calls = (n + BenchConfig.BATCH_SIZE - 1) / BenchConfig.BATCH_SIZE;
        return Parallel.run(BenchConfig.CLIENT_THREADS, calls, () -> i -> api.submitAll(
                Collections.nCopies(Math.min(BenchConfig.BATCH_SIZE, n - i * BenchConfig.BATCH_SIZE), job)));
    }

    private static void submitBatchedSerially(ConveyorApi api, String queue, String type, String payload, int n) {
        SubmitJobRequest job = ConveyorApi.job(queue, type, payload);
        for (int from = 0; from < n; from += BenchConfig.BATCH_SIZE) {
            api.submitAll(Collections.nCopies(Math.min(BenchConfig.BATCH_SIZE, n - from), job));
        }
    }
}
