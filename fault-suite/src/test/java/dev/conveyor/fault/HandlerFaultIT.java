package dev.conveyor.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitResult;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.server.worker.BuiltinHandlers;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Misbehaving handlers in a real daemon with one slot and a short handler time limit: a handler
 * that throws on every attempt, one that never returns (but stops when interrupted) and one that
 * ignores interruption each end DEAD with their reason after their attempts; the last one's
 * threads are abandoned and their slot handed back. The daemon stays up and goes on to run
 * ordinary jobs, each exactly once.
 */
@ExtendWith(TestDatabase.class)
class HandlerFaultIT {
    private static final String QUEUE = "fault-handlers";
    private static final Duration DEADLINE = Duration.ofSeconds(Scale.of(120, 300));

    @Test
    void throwingHangingAndStubbornHandlersEndDeadWithTheirReasonAndThePoolStaysHealthy(TestDb db) throws Exception {
        QueueManager queues = new QueueManager(db.open());
        Ledger ledger = new Ledger(db.jdbcUrl(), db.user(), db.password());
        try (Daemon daemon = Daemon.launch("handlers", db.jdbcUrl(), db.user(), db.password(),
                "--pool", QUEUE + ":1", "--lease", "3s", "--reaper-interval", "1s", "--idle-poll-max", "200ms",
                "--handler-timeout", "2s", "--handler-stop-grace", "1s")) {
            daemon.awaitRegistered(queues);

            // One slot: the three take turns, and the ordinary jobs after them run only if the
            // stubborn handler's slot was handed back each time.
            long throwing = submit(queues, FaultyHandlers.THROWS, 3);
            long hanging = submit(queues, FaultyHandlers.HANGS, 2);
            long stubborn = submit(queues, FaultyHandlers.IGNORES_INTERRUPT, 2);
            for (long id : List.of(throwing, hanging, stubborn)) {
                Conditions.await(DEADLINE, "job " + id + " DEAD", () -> queues.get(id).state() == JobState.DEAD);
            }

            assertDead(queues.get(throwing), 3, "fault-throws refuses attempt 3");
            assertDead(queues.get(hanging), 2, "handler ran past its time limit of 2s");
            assertDead(queues.get(stubborn), 2, "handler ran past its time limit of 2s and did not stop within 1s of "
                    + "being interrupted; its thread was abandoned");
            assertThat(queues.get(hanging).lastError()).doesNotContain("abandoned");

            List<Long> ordinary = submitRecords(queues, 5);
            Conditions.await(DEADLINE, "the ordinary jobs done on the slot the stubborn handler gave back",
                    () -> ordinary.stream().allMatch(id -> queues.get(id).state() == JobState.SUCCEEDED));
            ledger.assertExactlyOnce(ordinary);
            assertThat(daemon.alive()).isTrue();

            // Each abandoned attempt is logged once, with its job; the hanging handler was never abandoned.
            String log = daemon.logText();
            for (int attempt = 1; attempt <= 2; attempt++) {
                assertThat(count(log, "job " + stubborn + " attempt " + attempt + ": handler \\(.*\\) did not stop"))
                        .as("abandonment of attempt %d logged", attempt).isEqualTo(1);
            }
            assertThat(count(log, "job " + hanging + " attempt \\d: handler \\(.*\\) did not stop")).isZero();
        }
    }

    private static long submit(QueueManager queues, String type, int maxAttempts) {
        return queues.submit(NewJob.builder(QUEUE, type).maxAttempts(maxAttempts).build()).jobId();
    }

    private static void assertDead(JobSnapshot job, int attempts, String reason) {
        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.attempt()).as("attempts of job %d", job.id()).isEqualTo(attempts);
        assertThat(job.lastError()).as("reason of job %d", job.id()).endsWith(reason);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static List<Long> submitRecords(QueueManager queues, int n) {
        return queues.submitAll(IntStream.range(0, n).mapToObj(i -> NewJob.builder(QUEUE, BuiltinHandlers.RECORD)
                .build()).toList()).stream().map(SubmitResult::jobId).toList();
    }
}
