package dev.conveyor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.server.RunningServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The queue commands as a script runs them: {@code conveyor} in its own process, its exit code and output. */
@ExtendWith(TestDatabase.class)
class QueueCommandsProcessIT {
    private static RunningServer server;

    @BeforeAll
    static void start(TestDb db) {
        server = RunningServer.start(db.open());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pausingOrResumingAQueueThatDoesNotExistIsNotFoundAndCreatesNothing() {
        CliRun paused = cli("pause", "nosuchqueue");
        CliRun resumed = cli("resume", "nosuchqueue");

        for (CliRun run : new CliRun[] {paused, resumed}) {
            assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).isEqualTo("error: NOT_FOUND: queue nosuchqueue not found (it holds no job and is not paused)\n");
        }
        assertThat(server.queues().isPaused("nosuchqueue")).isFalse();
        assertThat(server.queues().queueStats()).noneMatch(q -> q.queue().equals("nosuchqueue"));
    }

    @Test
    void aQueueWithAJobPausesAndOneWithoutPausesOnlyWhenAllowedMissing() {
        server.jobs().submitJob(SubmitJobRequest.newBuilder().setQueue("proc-held").setType("noop").build());

        CliRun held = cli("pause", "proc-held");
        CliRun ahead = cli("pause", "proc-ahead", "--allow-missing");

        assertThat(held.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(ahead.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(server.queues().isPaused("proc-held")).isTrue();
        assertThat(server.queues().isPaused("proc-ahead")).isTrue();
        assertThat(cli("resume", "proc-ahead").exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(server.queues().isPaused("proc-ahead")).isFalse();
    }

    @Test
    void queuesListsAQueueWhoseOnlyJobEndedAndJsonCountsAreNumbers() {
        long id = server.jobs().submitJob(SubmitJobRequest.newBuilder().setQueue("proc-ended").setType("noop").build())
                .getJob().getId();
        server.jobs().cancelJob(CancelJobRequest.newBuilder().setId(id).build());
        server.jobs().submitJob(SubmitJobRequest.newBuilder().setQueue("proc-counted").setType("noop").build());

        CliRun table = cli("queues");
        CliRun json = cli("queues", "-o", "json");

        assertThat(table.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(table.out().lines()).anyMatch(line -> line.startsWith("proc-ended "));
        assertThat(json.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(json.out()).containsPattern("\"JOB_STATE_READY\": 1\\b").doesNotContain("\"JOB_STATE_READY\": \"");
    }

    private static CliRun cli(String... args) {
        return CliProcess.run(Stream.concat(Stream.of(args), Stream.of("--server", server.target(), "--plaintext"))
                .toArray(String[]::new));
    }
}
