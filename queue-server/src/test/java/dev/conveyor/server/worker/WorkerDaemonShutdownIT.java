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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                "--pool", QUEUE + ":4", "--shutdown-timeout", "3s", "--idle-poll-max", "200ms",
                "--bind", "127.0.0.1", "--http-port", "0")) {
            List<Long> longJobs = List.of(submit("600000"), submit("600000"));
            Conditions.await(DEADLINE, "the long jobs running", () -> allIn(longJobs, JobState.RUNNING));
            assertThat(scrape(daemon)).contains("conveyor_worker_jobs_claimed_total{queue=\"" + QUEUE + "\"}")
                    .contains("conveyor_worker_slots_busy{queue=\"" + QUEUE + "\"} 2.0")
                    .contains("conveyor_worker_leases_held{queue=\"" + QUEUE + "\"} 2.0");
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

    /** The daemon's Prometheus page, from the port its start-up line names. */
    private static String scrape(DaemonProcess daemon) throws IOException, InterruptedException {
        Matcher port = Pattern.compile("HTTP port (\\d+)").matcher(Files.readString(daemon.log()));
        assertThat(port.find()).as("HTTP port in the start-up line").isTrue();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port.group(1) + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
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
