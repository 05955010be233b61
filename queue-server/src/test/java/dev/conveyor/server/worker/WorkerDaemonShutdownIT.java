package dev.conveyor.server.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.WorkerInfo;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SIGTERM drains a daemon: what can finish within the shutdown timeout does; the rest goes back unspent. */
@ExtendWith(TestDatabase.class)
class WorkerDaemonShutdownIT {
    private static final String QUEUE = "sigterm";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final TestDb db;
    private final QueueManager queueManager;

    WorkerDaemonShutdownIT(TestDb db) {
        this.db = db;
        this.queueManager = new QueueManager(db.open());
    }

    @Test
    void sigtermFinishesShortJobsAndHandsLongOnesBackReadyWithTheirAttemptNotSpent() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start("sigterm", db, queueManager,
                "--pool", QUEUE + ":4", "--shutdown-timeout", "3s", "--idle-poll-max", "200ms")) {
            List<Long> longJobs = List.of(submit("600000"), submit("600000"));
            Conditions.await(DEADLINE, "the long jobs running", () -> allIn(longJobs, JobState.RUNNING));
            long shortJob = submit("1000");
            Conditions.await(DEADLINE, "the short job running", () -> allIn(List.of(shortJob), JobState.RUNNING));
            String workerId = daemon.registration(queueManager).map(WorkerInfo::id).orElseThrow();

            daemon.process().destroy();

            assertThat(daemon.waitFor(Duration.ofSeconds(30))).as("exit status after SIGTERM").isEqualTo(143);
            assertThat(queueManager.get(shortJob).state()).as("finished during the drain")
                    .isEqualTo(JobState.SUCCEEDED);
            assertThat(executions(shortJob)).isEqualTo(1);
            for (long id : longJobs) {
                JobSnapshot job = queueManager.get(id);
                assertThat(job.state()).isEqualTo(JobState.READY);
                assertThat(job.attempt()).as("attempts spent").isZero();
                assertThat(job.leaseOwner()).isNull();
                assertThat(executions(id)).isZero();
            }
            assertThat(queueManager.workers()).filteredOn(w -> w.id().equals(workerId)).singleElement()
                    .satisfies(w -> {
                        assertThat(w.stoppedAt()).as("deregistered").isNotNull();
                        assertThat(w.alive()).isFalse();
                    });
            assertThat(Files.readString(daemon.log())).contains("worker " + workerId + " serving queues [" + QUEUE
                    + ":4]").contains("worker " + workerId + " stopped");
        }
    }

    private long submit(String millis) {
        return queueManager.submit(NewJob.builder(QUEUE, BuiltinHandlers.RECORD)
                .payload(millis.getBytes(StandardCharsets.UTF_8)).build()).jobId();
    }

    private boolean allIn(List<Long> ids, JobState state) {
        return ids.stream().allMatch(id -> queueManager.get(id).state() == state);
    }

    private long executions(long id) {
        return db.queryLong("SELECT COUNT(*) FROM " + BuiltinHandlers.LOG_TABLE + " WHERE job_id = ?", id);
    }
}
