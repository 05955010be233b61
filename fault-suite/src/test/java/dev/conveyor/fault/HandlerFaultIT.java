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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Misbehaving handlers in a real daemon with one slot: a handler that throws on every attempt
 * ends DEAD with its reason after its attempts; a handler that never returns holds its slot until
 * it is cancelled, when the heartbeat interrupts it and frees the slot. Either way the daemon
 * goes on to run ordinary jobs, each exactly once.
 */
@ExtendWith(TestDatabase.class)
class HandlerFaultIT {
    private static final String QUEUE = "fault-handlers";
    private static final Duration DEADLINE = Duration.ofSeconds(Scale.of(120, 300));

    @Test
    void throwingAndHangingHandlersEndWithTheirReasonAndThePoolStaysHealthy(TestDb db) throws Exception {
        QueueManager queues = new QueueManager(db.open());
        Ledger ledger = new Ledger(db.jdbcUrl(), db.user(), db.password());
        try (Daemon daemon = Daemon.launch("handlers", db.jdbcUrl(), db.user(), db.password(),
                "--pool", QUEUE + ":1", "--lease", "3s", "--reaper-interval", "1s", "--idle-poll-max", "200ms")) {
            daemon.awaitRegistered(queues);

            long throwing = queues.submit(NewJob.builder(QUEUE, FaultyHandlers.THROWS).maxAttempts(3).build()).jobId();
            Conditions.await(DEADLINE, "the throwing job DEAD", () -> queues.get(throwing).state() == JobState.DEAD);
            JobSnapshot dead = queues.get(throwing);
            assertThat(dead.attempt()).isEqualTo(3);
            assertThat(dead.lastError()).contains("fault-throws refuses attempt 3");

            long hanging = queues.submit(NewJob.builder(QUEUE, FaultyHandlers.HANGS).build()).jobId();
            Conditions.await(DEADLINE, "the hanging job running", () -> queues.get(hanging).state() == JobState.RUNNING);
            List<Long> ordinary = submitRecords(queues, 5);
            queues.cancel(hanging, "hung: cancelled by the fault suite", "fault-suite");
            Conditions.await(DEADLINE, "the hanging job cancelled",
                    () -> queues.get(hanging).state() == JobState.CANCELLED);

            Conditions.await(DEADLINE, "the ordinary jobs done after the hung one freed the only slot",
                    () -> ordinary.stream().allMatch(id -> queues.get(id).state() == JobState.SUCCEEDED));
            ledger.assertExactlyOnce(ordinary);
            assertThat(daemon.alive()).isTrue();
        }
    }

    private static List<Long> submitRecords(QueueManager queues, int n) {
        return queues.submitAll(IntStream.range(0, n).mapToObj(i -> NewJob.builder(QUEUE, BuiltinHandlers.RECORD)
                .build()).toList()).stream().map(SubmitResult::jobId).toList();
    }
}
