package dev.conveyor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * One benchmark run's parameters, validated once. The fixed parts of BENCHMARK.md (8 client
 * threads, 8 worker slots, batches of 1,000, 50 submissions/s) are constants here so that the
 * figures stay comparable with its reference table.
 *
 * @param workloads       which of W1–W4 to run
 * @param rounds          rounds, each running the limit then Conveyor (A B A B …), at least 2
 * @param jobs            N of W1 (and of W4's drain)
 * @param historyJobs     finished jobs preloaded for W4
 * @param w5Scheduled     W5's jobs scheduled an hour ahead
 * @param w5Backoff       W5's jobs waiting out a retry backoff
 * @param latencyJobs     jobs W2 submits, one at a time
 * @param recoveryJobs    jobs of W3
 * @param recoveryJobTime how long each W3 job runs
 * @param recordJobs      true: drain {@code record} jobs, which insert an execution-log row in
 *                        their completing transaction (the limit does the same); false: {@code noop}
 * @param conveyorJar     the {@code conveyor} executable jar whose server and worker commands are run
 * @param java            the {@code java} binary that runs it
 * @param outDir          where the table and CSV are written
 */
record BenchConfig(Set<Workload> workloads, int rounds, int jobs, int historyJobs, int w5Scheduled, int w5Backoff,
        int latencyJobs,
        int recoveryJobs, Duration recoveryJobTime, boolean recordJobs, Path conveyorJar, Path java, Path outDir) {

    static final int CLIENT_THREADS = 8;
    static final int WORKER_SLOTS = 8;
    static final int BATCH_SIZE = 1000;
    static final int LATENCY_RATE = 50;
    /** Jobs run through each fresh JVM before it is measured, so that figures are of compiled code. */
    static final int WARMUP_JOBS = 2000;

    BenchConfig {
        workloads = Set.copyOf(workloads);
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("--workloads: name at least one of W1, W2, W3, W4, W5");
        }
        if (rounds < 2) {
            throw new IllegalArgumentException("--rounds must be at least 2 (interleaved rounds; medians), was "
                    + rounds);
        }
        if (jobs < BenchConfig.CLIENT_THREADS || historyJobs < 0 || latencyJobs < 1 || recoveryJobs < 1) {
            throw new IllegalArgumentException("job counts must be positive (--n at least " + CLIENT_THREADS + ")");
        }
        if (w5Scheduled < 0 || w5Backoff < 0) {
            throw new IllegalArgumentException("--w5-scheduled and --w5-backoff must not be negative, were "
                    + w5Scheduled + " and " + w5Backoff);
        }
        if (recoveryJobTime.isNegative() || recoveryJobTime.isZero()) {
            throw new IllegalArgumentException("W3's job time must be positive");
        }
    }

    /** Jobs of each warm-up: {@value #WARMUP_JOBS}, or N when that is smaller. */
    int warmupJobs() {
        return Math.min(WARMUP_JOBS, jobs);
    }

    /** The job type W1, W2 and W4 drain. */
    String jobType() {
        return recordJobs ? "record" : "noop";
    }
}
