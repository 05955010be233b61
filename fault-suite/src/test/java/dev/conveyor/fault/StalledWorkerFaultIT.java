package dev.conveyor.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitResult;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.FaultProxy;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.server.worker.BuiltinHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A daemon whose connection to the database stalls (a proxy holds every byte) past its lease
 * while its handlers finish; another daemon reaps the leases and runs the jobs again. When the
 * stalled daemon wakes, its completions carry the old lease epoch and are refused by fencing:
 * each job has exactly one committed completion, the second daemon's, and the stalled one logs
 * each result it dropped.
 */
@ExtendWith(TestDatabase.class)
class StalledWorkerFaultIT {
    private static final String QUEUE = "fault-stall";
    private static final int JOBS = Scale.of(4, 16);
    /** Long enough that the stall begins while every handler is still running. */
    private static final String JOB_MILLIS = "6000";
    private static final Duration DEADLINE = Duration.ofSeconds(Scale.of(180, 600));

    @Test
    void aLateCompletionAfterTheLeaseWasReapedIsRefusedByFencing(TestDb db) throws Exception {
        QueueManager queues = new QueueManager(db.open());
        Ledger ledger = new Ledger(db.jdbcUrl(), db.user(), db.password());
        try (FaultProxy proxy = FaultProxy.start(port(db.jdbcUrl()));
                Daemon stalled = Daemon.launch("stalled", proxy.through(db.jdbcUrl()), db.user(), db.password(),
                        "--pool", QUEUE + ":" + JOBS, "--lease", "3s", "--reaper-interval", "1s",
                        "--idle-poll-max", "200ms", "--handler-stop-grace", "1s")) {
            stalled.awaitRegistered(queues);
            List<Long> jobs = queues.submitAll(IntStream.range(0, JOBS).mapToObj(i -> NewJob.builder(QUEUE,
                    BuiltinHandlers.RECORD).payload(JOB_MILLIS.getBytes(StandardCharsets.UTF_8)).build()).toList())
                    .stream().map(SubmitResult::jobId).toList();
            Conditions.await(DEADLINE, "every job leased by the daemon about to stall", () -> jobs.stream()
                    .allMatch(id -> stalled.owner(QUEUE).equals(queues.get(id).leaseOwner())));

            proxy.blackhole();
            try (Daemon rescuer = Daemon.launch("rescuer", db.jdbcUrl(), db.user(), db.password(),
                    "--pool", QUEUE + ":" + JOBS, "--lease", "3s", "--reaper-interval", "1s",
                    "--idle-poll-max", "200ms", "--handler-stop-grace", "1s")) {
                rescuer.awaitRegistered(queues);
                Conditions.await(DEADLINE, "every job completed by the rescuer", () -> jobs.stream()
                        .allMatch(id -> queues.get(id).state() == JobState.SUCCEEDED));

                proxy.pass();
                Conditions.await(DEADLINE, "the stalled daemon dropping each late result", () -> jobs.stream()
                        .allMatch(id -> dropped(stalled, id)));

                ledger.assertExactlyOnce(jobs);
                for (long id : jobs) {
                    List<Map<String, Object>> rows = db.queryRows(
                            "SELECT attempt, worker FROM " + BuiltinHandlers.LOG_TABLE + " WHERE job_id = ?", id);
                    assertThat(rows).singleElement().satisfies(r -> {
                        assertThat(r.get("worker")).isEqualTo(rescuer.owner(QUEUE));
                        assertThat(((Number) r.get("attempt")).intValue()).isEqualTo(2);
                    });
                    assertThat(queues.get(id).attempt()).isEqualTo(2);
                }
            }
        }
    }

    private static boolean dropped(Daemon daemon, long jobId) {
        try {
            return daemon.logText().lines().anyMatch(l -> l.contains("job " + jobId + " epoch ")
                    && l.contains("lease lost") && l.contains("dropped"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static int port(String jdbcUrl) {
        String hostPort = jdbcUrl.substring("jdbc:mysql://".length(), jdbcUrl.indexOf('/', "jdbc:mysql://".length()));
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
