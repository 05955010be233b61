package dev.conveyor.server.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two worker daemon processes on one queue; one is killed with SIGKILL in the middle of its jobs.
 * Its jobs must run again on the other within one lease period plus one reaper interval, and every
 * job must complete exactly once: a {@code record} job writes its row in the transaction that
 * completes it, so a row per job is a committed completion per job.
 */
@ExtendWith(TestDatabase.class)
class WorkerDaemonCrashIT {
    private static final Logger log = LoggerFactory.getLogger(WorkerDaemonCrashIT.class);
    private static final String QUEUE = "crash";
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration REAPER_INTERVAL = Duration.ofSeconds(1);
    /** Claiming and scheduling on a shared two-core machine; W3's own target allows 2 s. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final int SLOTS = 8;
    private static final int JOBS = 6;
    /** Long enough that all jobs are seen running together, short enough to keep the test quick. */
    private static final String JOB_MILLIS = "8000";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final TestDb db;
    private final QueueManager queueManager;

    WorkerDaemonCrashIT(TestDb db) {
        this.db = db;
        this.queueManager = new QueueManager(db.open());
    }

    @Test
    void aKilledDaemonsJobsRunAgainOnTheOtherWithinALeaseAndAReaperIntervalAndCompleteOnce() throws Exception {
        String[] flags = {"--pool", QUEUE + ":" + SLOTS, "--lease", LEASE.toMillis() + "ms",
                "--reaper-interval", REAPER_INTERVAL.toMillis() + "ms", "--idle-poll-max", "200ms",
                // A stop grace that fits the short lease beside its heartbeat (the worker checks).
                "--handler-stop-grace", "1s"};
        try (DaemonProcess first = DaemonProcess.launch("crash-first", db, flags);
                DaemonProcess second = DaemonProcess.launch("crash-second", db, flags)) {
            first.awaitRegistered(queueManager);
            second.awaitRegistered(queueManager);
            List<Long> jobs = submit(JOBS);
            Conditions.await(DEADLINE, "all jobs running", () -> running() == JOBS);
            // The daemon holding more of them dies; the other then has a free slot for each orphan.
            boolean firstHoldsMore = leasedBy(first.owner(QUEUE)).size() * 2 >= JOBS;
            DaemonProcess victim = firstHoldsMore ? first : second;
            DaemonProcess survivor = firstHoldsMore ? second : first;
            List<Long> orphans = leasedBy(victim.owner(QUEUE));

            victim.process().destroyForcibly();
            long killedAt = System.nanoTime();
            assertThat(victim.waitFor(Duration.ofSeconds(30))).as("killed by SIGKILL").isEqualTo(137);
            assertThat(ProcessHandle.of(victim.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            assertThat(orphans).isNotEmpty().allSatisfy(id -> assertThat(queueManager.get(id).state())
                    .as("still leased to the dead daemon").isEqualTo(JobState.RUNNING));

            Conditions.await(DEADLINE, "the victim's jobs running again on the survivor",
                    () -> orphans.stream().allMatch(id -> rerunBy(id, survivor.owner(QUEUE))));
            Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
            log.info("{} orphaned job(s) running again {} ms after SIGKILL (lease {}, reaper interval {})",
                    orphans.size(), recovery.toMillis(), LEASE, REAPER_INTERVAL);
            assertThat(recovery).isLessThanOrEqualTo(LEASE.plus(REAPER_INTERVAL).plus(SLACK));

            Conditions.await(DEADLINE, "every job SUCCEEDED",
                    () -> jobs.stream().allMatch(id -> queueManager.get(id).state() == JobState.SUCCEEDED));
            for (long id : jobs) {
                List<Map<String, Object>> rows = db.queryRows(
                        "SELECT attempt, worker FROM " + BuiltinHandlers.LOG_TABLE + " WHERE job_id = ?", id);
                assertThat(rows).as("committed completions of job " + id).hasSize(1);
                assertThat(rows.getFirst().get("worker")).isEqualTo(survivor.owner(QUEUE));
                assertThat(queueManager.get(id).attempt()).isEqualTo(orphans.contains(id) ? 2 : 1);
            }
        }
    }

    private long running() {
        return db.queryLong("SELECT COUNT(*) FROM job WHERE queue = ? AND state = 'RUNNING'", QUEUE);
    }

    private List<Long> leasedBy(String owner) {
        return db.queryList("SELECT id FROM job WHERE state = 'RUNNING' AND lease_owner = ?", owner).stream()
                .map(id -> ((Number) id).longValue()).toList();
    }

    private List<Long> submit(int n) {
        return queueManager.submitAll(IntStream.range(0, n).mapToObj(i -> NewJob.builder(QUEUE, BuiltinHandlers.RECORD)
                .payload(JOB_MILLIS.getBytes(StandardCharsets.UTF_8)).build()).toList())
                .stream().map(r -> r.jobId()).toList();
    }

    /** Leased again by {@code owner}, or already finished there. */
    private boolean rerunBy(long id, String owner) {
        JobSnapshot job = queueManager.get(id);
        return job.attempt() >= 2 && (owner.equals(job.leaseOwner()) || job.state() == JobState.SUCCEEDED);
    }
}
