package dev.conveyor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.JobState;
import dev.conveyor.proto.v1.ListJobEventsResponse;
import dev.conveyor.proto.v1.ListJobsResponse;
import dev.conveyor.proto.v1.ListQueuesResponse;
import dev.conveyor.proto.v1.ListWorkersResponse;
import dev.conveyor.proto.v1.Queue;
import dev.conveyor.proto.v1.SubmitJobResponse;
import dev.conveyor.server.RunningServer;
import dev.conveyor.server.Worker;
import dev.conveyor.core.testing.Conditions;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real {@code conveyor} main against a running server: output in both formats, and exit codes. */
@ExtendWith(TestDatabase.class)
class ConveyorCliIT {
    private static RunningServer server;
    private static Worker worker;

    @BeforeAll
    static void start(TestDb db) {
        server = RunningServer.start(db.open());
        worker = new Worker(server.queues());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void submitPrintsTheJobAsATable() {
        CliRun run = cli("submit", "--queue", "cli-table", "--type", "echo", "--payload", "hello", "-l", "rack=r1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines().toList()).hasSize(2);
        assertThat(run.out().lines().findFirst()).hasValueSatisfying(
                header -> assertThat(header.split("\\s+")).containsExactly("ID", "QUEUE", "TYPE", "STATE", "DEDUPLICATED"));
        assertThat(run.out().lines().skip(1).findFirst().orElseThrow().split("\\s+"))
                .containsSubsequence("cli-table", "echo", "READY", "false");
    }

    @Test
    void submitAndGetPrintTheApisMessagesAsJson() throws Exception {
        CliRun submitted = cli("submit", "-q", "cli-json", "-t", "noop", "--idempotency-key", "k1", "-o", "json");
        SubmitJobResponse response = parse(submitted.out(), SubmitJobResponse.getDefaultInstance());
        long id = response.getJob().getId();

        CliRun got = cli("get", Long.toString(id), "--output", "json");

        assertThat(submitted.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(got.exitCode()).isEqualTo(ExitCodes.OK);
        Job job = parse(got.out(), Job.getDefaultInstance());
        assertThat(job.getId()).isEqualTo(id);
        assertThat(job.getIdempotencyKey()).isEqualTo("k1");
        assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_READY);
    }

    @Test
    void getShowsAJobFieldByField() {
        long id = submit("cli-get");

        CliRun run = cli("get", Long.toString(id));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).containsPattern("(?m)^id\\s+" + id + "$").containsPattern("(?m)^state\\s+READY$");
    }

    @Test
    void listPrintsJobsNewestFirstAndHowToGetTheNextPage() throws Exception {
        long older = submit("cli-list");
        long newer = submit("cli-list");

        CliRun table = cli("list", "-q", "cli-list", "--page-size", "1");
        CliRun json = cli("list", "-q", "cli-list", "-s", "ready", "-o", "json");

        assertThat(table.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(table.out()).containsPattern("(?m)^" + newer + "\\s+cli-list\\s+noop\\s+READY")
                .doesNotContainPattern("(?m)^" + older + "\\s").contains("more: --page-token ");
        ListJobsResponse page = parse(json.out(), ListJobsResponse.getDefaultInstance());
        assertThat(page.getJobsList()).extracting(Job::getId).containsExactly(newer, older);
    }

    @Test
    void cancelThenRetryAndTheExitCodeOfAConflict() {
        long id = submit("cli-cancel");

        CliRun cancelled = cli("cancel", Long.toString(id), "--reason", "wrong rack");
        CliRun again = cli("cancel", Long.toString(id));
        CliRun retried = cli("retry", Long.toString(id));

        assertThat(cancelled.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(cancelled.out()).containsPattern("(?m)^state\\s+CANCELLED$");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.err()).isEqualTo("error: FAILED_PRECONDITION: cannot cancel job " + id + ": it is CANCELLED\n");
        assertThat(retried.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(retried.out()).containsPattern("(?m)^state\\s+READY$");
    }

    @Test
    void watchFollowsTheJobAndExitsZeroWhenItSucceeds() throws Exception {
        long id = submit("cli-watch-ok");
        StringWriter out = new StringWriter();
        CompletableFuture<CliRun> watch = CompletableFuture.supplyAsync(() -> cli(out, "watch", Long.toString(id)));
        Conditions.await(Duration.ofSeconds(30), "the watch's first line", () -> out.toString().contains("is READY"));

        worker.run("cli-watch-ok");
        CliRun run = watch.get(30, TimeUnit.SECONDS);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("job " + id + " (cli-watch-ok/noop)").contains("-> SUCCEEDED");
    }

    @Test
    void watchExitsWithFiveWhenTheJobEndsDead() throws Exception {
        long id = submit("cli-watch-dead");
        CompletableFuture<CliRun> watch = CompletableFuture.supplyAsync(
                () -> cli("watch", Long.toString(id), "-o", "json"));

        ClaimedJob job = worker.claim("cli-watch-dead");
        worker.finish(job, Outcome.failed("switch unreachable"));
        CliRun run = watch.get(30, TimeUnit.SECONDS);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(run.out().lines()).allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        assertThat(run.out()).contains("\"JOB_STATE_DEAD\"");
    }

    @Test
    void eventsListsTheHistory() throws Exception {
        long id = submit("cli-events");
        worker.run("cli-events");

        CliRun table = cli("events", Long.toString(id));
        CliRun json = cli("events", Long.toString(id), "-o", "json");

        assertThat(table.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(table.out()).contains("-> RUNNING").contains("check [200]").contains("-> SUCCEEDED");
        assertThat(parse(json.out(), ListJobEventsResponse.getDefaultInstance()).getEventsList()).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void queuesPauseAndResume() throws Exception {
        submit("cli-queue");

        CliRun paused = cli("pause", "cli-queue");
        CliRun queues = cli("queues", "-o", "json");
        CliRun resumed = cli("resume", "cli-queue", "-o", "json");
        CliRun table = cli("queues");

        assertThat(paused.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(paused.out()).containsPattern("(?m)^cli-queue\\s+true\\s+0\\s+1\\s");
        Queue listed = parse(queues.out(), ListQueuesResponse.getDefaultInstance()).getQueuesList().stream()
                .filter(q -> q.getName().equals("cli-queue")).findFirst().orElseThrow();
        assertThat(listed.getPaused()).isTrue();
        assertThat(parse(resumed.out(), Queue.getDefaultInstance()).getPaused()).isFalse();
        assertThat(table.out().lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("QUEUE", "PAUSED", "WAITING", "READY", "RUNNING", "DEAD", "OLDEST_READY");
    }

    @Test
    void workersShowsRegisteredDaemons() throws Exception {
        Instant now = server.queues().databaseNow();
        server.queues().registerWorker(new dev.conveyor.core.WorkerInfo("cli-w1", "rack-host", 4242, "default:8", 8,
                now, now, null, true));

        CliRun table = cli("workers");
        CliRun json = cli("workers", "-o", "json");

        assertThat(table.out()).containsPattern("(?m)^cli-w1\\s+rack-host\\s+4242\\s+default:8\\s+8\\s.*alive$");
        assertThat(parse(json.out(), ListWorkersResponse.getDefaultInstance()).getWorkersList())
                .anySatisfy(w -> assertThat(w.getId()).isEqualTo("cli-w1"));
    }

    @Test
    void errorsAreOneLineWithDistinctExitCodes() {
        CliRun notFound = cli("get", "999999");
        CliRun invalid = cli("submit", "-q", "Bad Queue", "-t", "noop");
        CliRun usage = CliRun.of("get", "not-a-number");
        CliRun unknownOption = CliRun.of("list", "--bogus");
        CliRun unavailable = CliRun.of("get", "1", "--server", "127.0.0.1:1", "--plaintext", "--timeout", "5");

        assertThat(notFound.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(notFound.err()).isEqualTo("error: NOT_FOUND: job 999999 not found\n");
        assertThat(invalid.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).startsWith("error: INVALID_ARGUMENT: queue: must match");
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownOption.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unavailable.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        Stream.of(notFound, invalid, usage, unknownOption, unavailable).forEach(run -> {
            assertThat(run.err().lines()).hasSize(1);
            assertThat(run.out()).isEmpty();
        });
    }

    @Test
    void helpVersionAndCompletion() {
        CliRun completion = CliRun.of("completion");
        CliRun help = CliRun.of("--help");
        CliRun workerHelp = CliRun.of("worker", "--help");

        assertThat(completion.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(completion.out()).contains("complete -F").contains("submit").contains("watch");
        assertThat(help.out()).contains("server", "worker", "submit", "watch", "schema", "completion");
        assertThat(workerHelp.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(CliRun.of("--version").out()).startsWith("conveyor ");
    }

    private static CliRun cli(String... args) {
        return cli(new StringWriter(), args);
    }

    private static CliRun cli(StringWriter out, String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of("--server", server.target(), "--plaintext")).toArray(String[]::new);
        return CliRun.of(out, all);
    }

    private static long submit(String queue) {
        return server.jobs().submitJob(dev.conveyor.proto.v1.SubmitJobRequest.newBuilder().setQueue(queue)
                .setType("noop").build()).getJob().getId();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> T parse(String json, T prototype) throws Exception {
        Message.Builder builder = prototype.newBuilderForType();
        JsonFormat.parser().merge(json, builder);
        return (T) builder.build();
    }
}
