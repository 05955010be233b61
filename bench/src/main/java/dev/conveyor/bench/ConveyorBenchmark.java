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
 * gets a fresh database ({@link Deployment}) and warms its fresh JVMs up before it measures
 * (servers and workers are long-lived in production); every run ends with the exactly-once check.
 */
final class ConveyorBenchmark {
    static final String SYSTEM = "conveyor";
    /** Jobs submitted in batches but never drained: W1's batched enqueue goes to a queue nobody serves. */
    private static final String BATCH_QUEUE = "bench-batch";
    /** The worker's documented default lease (conveyor worker --lease). */
    private static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
    private static final String RECORD = "record";
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
        if (config.workloads().contains(Workload.W5)) {
            out.addAll(w5(round, prefix + "_w5"));
        }
        return out;
    }

    private List<Measurement> w1(int round, String database) throws Exception {
        int n = config.jobs();
        List<Measurement> out = new ArrayList<>();
        try (Deployment d = Deployment.start(server, launcher, processes, database)) {
            ConveyorProcess worker = d.startWorker("worker");
            JobSet jobs = warmUp(d, worker);
            d.api().pause(Deployment.QUEUE);

            log.info("round {}: Conveyor W1 enqueue of {} jobs, one per SubmitJob call", round, n);
            SubmitJobRequest job = ConveyorApi.job(Deployment.QUEUE, jobs.type(), "");
            CpuClock cpu = processes.startCpuClock();
            long nanos = Parallel.run(BenchConfig.CLIENT_THREADS, n, () -> i -> d.api().submit(job));
            CpuUsage usage = cpu.stop();
            long created = d.db().count(jobs, "READY");
            out.add(Measurement.of(SYSTEM, "gRPC SubmitJob", Figure.ENQUEUE_ONE, LimitBenchmark.perSecond(n, nanos),
                    new Tally(n, 0, Math.max(0, n - created)), usage));

            log.info("round {}: Conveyor W1 enqueue of {} jobs, {} per SubmitJobs call", round, n,
                    BenchConfig.BATCH_SIZE);
            cpu = processes.startCpuClock();
            nanos = submitBatched(d.api(), BATCH_QUEUE, jobs.type(), "", n);
            out.add(Measurement.of(SYSTEM, "gRPC SubmitJobs", Figure.ENQUEUE_BATCH,
                    LimitBenchmark.perSecond(n, nanos), Tally.NOT_CHECKED, cpu.stop()));

            out.add(drain(round, d, worker, Figure.DRAIN, jobs, n));
        }
        return out;
    }

    private Measurement w2(int round, String database) throws Exception {
        int count = config.latencyJobs();
        try (Deployment d = Deployment.start(server, launcher, processes, database)) {
            ConveyorProcess worker = d.startWorker("worker");
            JobSet jobs = warmUp(d, worker);
            log.info("round {}: Conveyor W2, {} jobs at {}/s on an idle worker", round, count,
                    BenchConfig.LATENCY_RATE);
            CpuClock cpu = processes.startCpuClock();
            submitPaced(d, jobs.type(), count);
            awaitEnded(d, worker, jobs, count);
            CpuUsage usage = cpu.stop();
            List<Double> latencies = d.db().startLatenciesMillis(jobs);
            Tally tally = d.db().tally(jobs, count, config.recordJobs());
            return new Measurement(SYSTEM, "1 worker × " + BenchConfig.WORKER_SLOTS + " slots; DB clock: "
                    + "first RUNNING event − created_at", Figure.LATENCY, Percentiles.summary(latencies), tally,
                    usage.percentOfCore(), "");
        }
    }

    /**
     * W3. Both workers serve the queue from the start; the first is SIGKILLed as soon as no job is
     * left READY, so its in-flight jobs are the orphans and nothing else competes for the second,
     * whose own jobs end within one job time, long before the orphans' leases expire.
     */
    private Measurement w3(int round, String database) throws Exception {
        int count = config.recoveryJobs();
        String payload = Long.toString(config.recoveryJobTime().toMillis());
        JobSet jobs = new JobSet(Deployment.QUEUE, RECORD, 0);
        try (Deployment d = Deployment.start(server, launcher, processes, database)) {
            d.api().pause(Deployment.QUEUE);
            submitBatchedSerially(d.api(), Deployment.QUEUE, RECORD, payload, count);
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
            awaitEnded(d, survivor, jobs, count);
            CpuUsage usage = cpu.stop();
            Tally tally = d.db().tally(jobs, count, true);
            return Measurement.of(SYSTEM, "2 workers × " + BenchConfig.WORKER_SLOTS + " slots, lease "
                    + DEFAULT_LEASE.toSeconds() + " s (default), " + count + " jobs of " + payload + " ms",
                    Figure.RECOVERY, (recoveredAt - killedAt) / 1e6, tally, usage)
                    .withNote(orphans.size() + " orphans");
        }
    }

    private Measurement w4(int round, String database) throws Exception {
        int n = config.jobs();
        try (Deployment d = Deployment.start(server, launcher, processes, database)) {
            log.info("round {}: Conveyor W4, preloading {} finished jobs", round, config.historyJobs());
            HistoryPreload.preload(d.db(), Deployment.QUEUE, config.historyJobs());
            String sizes = d.db().tableSizes(List.of("job", "job_event"));
            ConveyorProcess worker = d.startWorker("worker");
            JobSet jobs = warmUp(d, worker);
            d.api().pause(Deployment.QUEUE);
            submitBatched(d.api(), Deployment.QUEUE, jobs.type(), "", n);
            return drain(round, d, worker, Figure.HISTORY_DRAIN, jobs, n).withNote(sizes);
        }
    }

    /**
     * W5: W1's drain in a queue that also holds a backlog in the future (preloaded after the
     * warm-up, so the warm-up's wait does not count it), then, once the queue has nothing due,
     * the rows one claim reads beside that backlog.
     */
    private List<Measurement> w5(int round, String database) throws Exception {
        int n = config.jobs();
        try (Deployment d = Deployment.start(server, launcher, processes, database)) {
            ConveyorProcess worker = d.startWorker("worker");
            warmUp(d, worker);
            d.api().pause(Deployment.QUEUE);
            log.info("round {}: Conveyor W5, preloading {} scheduled and {} backing-off jobs", round,
                    config.w5Scheduled(), config.w5Backoff());
            BacklogPreload.preload(d.db(), Deployment.QUEUE, config.w5Scheduled(), config.w5Backoff());
            JobSet jobs = new JobSet(Deployment.QUEUE, config.jobType(), d.db().lastJobId());
            String backlog = String.format(java.util.Locale.ROOT, "beside %,d scheduled + %,d in backoff",
                    config.w5Scheduled(), config.w5Backoff());
            submitBatched(d.api(), Deployment.QUEUE, jobs.type(), "", n);
            Measurement drain = drain(round, d, worker, Figure.BACKLOG_DRAIN, jobs, n).withNote(backlog);
            long reads = ClaimProbe.idleClaimReads(d.db(), Deployment.QUEUE);
            log.info("round {}: an idle claim read {} rows {}", round, reads, backlog);
            return List.of(drain, new Measurement(SYSTEM, "a claim of up to 50 with none due", Figure.IDLE_CLAIM_READS,
                    List.of((double) reads), Tally.NOT_CHECKED, java.util.Map.of(), backlog));
        }
    }

    /**
     * Runs warm-up jobs through the paths that will be measured (single and batched submissions,
     * claims, completions) and waits until they are done; returns the set of jobs created after them.
     */
    private JobSet warmUp(Deployment d, ConveyorProcess worker) throws Exception {
        int n = config.warmupJobs();
        log.info("warming up the server and worker with {} jobs", 2 * n);
        JobSet all = new JobSet(Deployment.QUEUE, config.jobType(), 0);
        SubmitJobRequest job = ConveyorApi.job(Deployment.QUEUE, all.type(), "");
        Parallel.run(BenchConfig.CLIENT_THREADS, n, () -> i -> d.api().submit(job));
        submitBatched(d.api(), Deployment.QUEUE, all.type(), "", n);
        awaitEnded(d, worker, all, 2 * n);
        return new JobSet(Deployment.QUEUE, config.jobType(), d.db().lastJobId());
    }

    /** Resumes the paused queue and times its drain by the database's clock, first claim to last completion. */
    private Measurement drain(int round, Deployment d, ConveyorProcess worker, Figure figure, JobSet jobs, int n)
            throws Exception {
        log.info("round {}: Conveyor {} of {} {} jobs", round, figure, n, jobs.type());
        CpuClock cpu = processes.startCpuClock();
        d.api().resume(Deployment.QUEUE);
        awaitEnded(d, worker, jobs, n);
        CpuUsage usage = cpu.stop();
        long micros = d.db().drainMicros(jobs);
        Tally tally = d.db().tally(jobs, n, config.recordJobs());
        return Measurement.of(SYSTEM, "1 worker process × " + BenchConfig.WORKER_SLOTS + " slots, " + jobs.type()
                + " jobs", figure, n / (micros / 1e6), tally, usage);
    }

    /** Waits until the {@code n} jobs of the set have ended (the exactly-once check then says how). */
    private static void awaitEnded(Deployment d, ConveyorProcess worker, JobSet jobs, int n) throws Exception {
        Duration timeout = Duration.ofSeconds(Math.max(300, n / 50));
        Await.until(n + " " + jobs.type() + " jobs to end", timeout, () -> {
            d.requireAlive();
            worker.requireAlive();
        }, () -> d.db().unfinished(jobs) == 0, () -> d.db().unfinished(jobs) + " not yet ended");
    }

    /** Submits {@code count} jobs one at a time at the W2 rate. */
    private static void submitPaced(Deployment d, String type, int count) throws InterruptedException {
        SubmitJobRequest job = ConveyorApi.job(Deployment.QUEUE, type, "");
        long interval = TimeUnit.SECONDS.toNanos(1) / BenchConfig.LATENCY_RATE;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            LimitBenchmark.sleepUntil(start + i * interval);
            d.api().submit(job);
        }
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
