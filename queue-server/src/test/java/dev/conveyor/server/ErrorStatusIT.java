package dev.conveyor.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.ListJobEventsRequest;
import dev.conveyor.proto.v1.ListJobsRequest;
import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.RetryJobRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import dev.conveyor.proto.v1.WatchJobRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Every error status the API documents, each from a real bad request over a real port, and each
 * leaving every table as it was.
 */
@ExtendWith(TestDatabase.class)
class ErrorStatusIT {
    private static final List<String> TABLES = List.of("job", "job_event", "job_label", "job_dependency", "queue_pause");
    private static final long UNKNOWN_JOB = 987_654_321L;

    private static TestDb db;
    private static RunningServer server;

    @BeforeAll
    static void start(TestDb testDb) {
        db = testDb;
        server = RunningServer.start(db.open());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRequestOverTheMessageLimitIsRefusedWithOneLineInTheLogAndNoStackTrace() {
        Logger oversize = (Logger) LoggerFactory.getLogger("dev.conveyor.server.grpc.OversizeRequests");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        oversize.addAppender(lines);
        // grpc-java's own warning (java.util.logging, with the deframer's stack trace) must stay silent.
        List<LogRecord> grpcWarnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                grpcWarnings.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger grpcLog =
                java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");
        grpcLog.addHandler(capture);
        try {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> server.jobs().submitJob(job()
                        .setPayload(ByteString.copyFrom(new byte[3 * 1024 * 1024])).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            }
            Conditions.await(Duration.ofSeconds(10), "one line per refused request", () -> lines.list.size() == 3);
            assertThat(lines.list).allSatisfy(line -> {
                assertThat(line.getFormattedMessage()).contains("conveyor.v1.JobService/SubmitJob", "exceeds maximum");
                assertThat(line.getThrowableProxy()).isNull();
            });
            assertThat(grpcWarnings).isEmpty();
        } finally {
            grpcLog.removeHandler(capture);
            oversize.detachAppender(lines);
        }
    }

    @Test
    void invalidFieldsAreRefusedNamingTheFieldAndTheRule() {
        expect(Status.Code.INVALID_ARGUMENT, "queue: must match",
                () -> server.jobs().submitJob(job().setQueue("Bad Queue").build()));
        expect(Status.Code.INVALID_ARGUMENT, "type: is required",
                () -> server.jobs().submitJob(job().setType("").build()));
        expect(Status.Code.INVALID_ARGUMENT, "payload: must be at most 1048576 bytes",
                () -> server.jobs().submitJob(job().setPayload(ByteString.copyFrom(new byte[1024 * 1024 + 1])).build()));
        expect(Status.Code.INVALID_ARGUMENT, "priority: must be in [-1000, 1000]",
                () -> server.jobs().submitJob(job().setPriority(1001).build()));
        expect(Status.Code.INVALID_ARGUMENT, "max_attempts: must be in [1, 100]",
                () -> server.jobs().submitJob(job().setMaxAttempts(101).build()));
        expect(Status.Code.INVALID_ARGUMENT, "run_time: must be after 2000-01-01 and at most 366 days ahead",
                () -> server.jobs().submitJob(job().setRunTime(Timestamp.newBuilder()
                        .setSeconds(Instant.now().plus(Duration.ofDays(400)).getEpochSecond())).build()));
        expect(Status.Code.INVALID_ARGUMENT, "labels: key 'Bad Key' must match",
                () -> server.jobs().submitJob(job().putLabels("Bad Key", "v").build()));
        expect(Status.Code.INVALID_ARGUMENT, "concurrency_limit: needs a concurrency_key",
                () -> server.jobs().submitJob(job().setConcurrencyLimit(3).build()));
        expect(Status.Code.INVALID_ARGUMENT, "depends_on: must not repeat a job id",
                () -> server.jobs().submitJob(job().addDependsOn(1).addDependsOn(1).build()));
        expect(Status.Code.INVALID_ARGUMENT, "id: must be a positive job id",
                () -> server.jobs().getJob(GetJobRequest.newBuilder().setId(0).build()));
        expect(Status.Code.INVALID_ARGUMENT, "reason: must be at most 1024 characters",
                () -> server.jobs().cancelJob(CancelJobRequest.newBuilder().setId(1).setReason("x".repeat(1025)).build()));
        expect(Status.Code.INVALID_ARGUMENT, "queue: must match",
                () -> server.admin().pauseQueue(PauseQueueRequest.newBuilder().setQueue("../etc").build()));
        expect(Status.Code.INVALID_ARGUMENT, "page_size: must not be negative",
                () -> server.jobs().listJobs(ListJobsRequest.newBuilder().setPageSize(-1).build()));
    }

    @Test
    void aBatchWithOneBadJobWritesNothing() {
        server.jobs().submitJob(job().build()); // the queue has rows, so "nothing" is visible
        Map<String, Long> before = rows();

        expect(Status.Code.INVALID_ARGUMENT, "jobs[1].queue: must match", () -> server.jobs().submitJobs(
                SubmitJobsRequest.newBuilder().addJobs(job()).addJobs(job().setQueue("NOPE")).addJobs(job()).build()));
        expect(Status.Code.INVALID_ARGUMENT, "jobs: must hold 1 to 1000 jobs",
                () -> server.jobs().submitJobs(SubmitJobsRequest.getDefaultInstance()));

        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aForgedOrReusedPageTokenIsRefused() {
        for (int i = 0; i < 3; i++) {
            server.jobs().submitJob(job().build());
        }
        ListJobsRequest filter = ListJobsRequest.newBuilder().setQueue("errors").setPageSize(1).build();
        String token = server.jobs().listJobs(filter).getNextPageToken();
        assertThat(token).isNotEmpty();

        // Character 5 lies in the cursor (the last one may only carry padding bits).
        char c = token.charAt(5);
        String forged = token.substring(0, 5) + (c == 'A' ? 'B' : 'A') + token.substring(6);
        expect(Status.Code.INVALID_ARGUMENT, "page_token:",
                () -> server.jobs().listJobs(filter.toBuilder().setPageToken(forged).build()));
        expect(Status.Code.INVALID_ARGUMENT, "page_token:",
                () -> server.jobs().listJobs(filter.toBuilder().setQueue("other").setPageToken(token).build()));
        expect(Status.Code.INVALID_ARGUMENT, "page_token:", () -> server.jobs().listJobEvents(
                ListJobEventsRequest.newBuilder().setJobId(1).setPageToken(token).build()));
    }

    @Test
    void anUnknownJobIsNotFound() {
        GetJobRequest get = GetJobRequest.newBuilder().setId(UNKNOWN_JOB).build();
        expect(Status.Code.NOT_FOUND, "job " + UNKNOWN_JOB + " not found", () -> server.jobs().getJob(get));
        expect(Status.Code.NOT_FOUND, "job " + UNKNOWN_JOB + " not found",
                () -> server.jobs().cancelJob(CancelJobRequest.newBuilder().setId(UNKNOWN_JOB).build()));
        expect(Status.Code.NOT_FOUND, "job " + UNKNOWN_JOB + " not found",
                () -> server.jobs().retryJob(RetryJobRequest.newBuilder().setId(UNKNOWN_JOB).build()));
        expect(Status.Code.NOT_FOUND, "job " + UNKNOWN_JOB + " not found",
                () -> server.jobs().listJobEvents(ListJobEventsRequest.newBuilder().setJobId(UNKNOWN_JOB).build()));
        expect(Status.Code.NOT_FOUND, "job " + UNKNOWN_JOB + " not found", () -> server.jobs()
                .watchJob(WatchJobRequest.newBuilder().setId(UNKNOWN_JOB).build()).hasNext());
    }

    @Test
    void theSameKeyWithAnotherRequestIsAlreadyExists() {
        server.jobs().submitJob(job().setIdempotencyKey("k-1").setPayload(ByteString.copyFromUtf8("a")).build());
        Map<String, Long> before = rows();

        expect(Status.Code.ALREADY_EXISTS, "idempotency key 'k-1'", () -> server.jobs()
                .submitJob(job().setIdempotencyKey("k-1").setPayload(ByteString.copyFromUtf8("b")).build()));

        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void cancellingAFinishedJobOrRetryingALiveOneIsFailedPrecondition() {
        long id = server.jobs().submitJob(job().build()).getJob().getId();
        server.jobs().cancelJob(CancelJobRequest.newBuilder().setId(id).build());
        long ready = server.jobs().submitJob(job().build()).getJob().getId();
        Map<String, Long> before = rows();

        expect(Status.Code.FAILED_PRECONDITION, "cannot cancel job " + id,
                () -> server.jobs().cancelJob(CancelJobRequest.newBuilder().setId(id).build()));
        expect(Status.Code.FAILED_PRECONDITION, "cannot retry job " + ready,
                () -> server.jobs().retryJob(RetryJobRequest.newBuilder().setId(ready).build()));

        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aPassedDeadlineIsDeadlineExceeded() {
        Map<String, Long> before = rows();

        expect(Status.Code.DEADLINE_EXCEEDED, "", () -> server.jobs()
                .withDeadlineAfter(1, TimeUnit.NANOSECONDS).submitJob(job().build()));

        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aDatabaseOutageIsUnavailableAndWritesNothing() {
        Matcher hostPort = Pattern.compile("//([^:/]+):(\\d+)/").matcher(db.jdbcUrl());
        assertThat(hostPort.find()).isTrue();
        Map<String, Long> before = rows();
        try (TcpProxy proxy = TcpProxy.start(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
                Database viaProxy = Database.open(new DatabaseConfig(proxy.route(db.jdbcUrl()), db.user(),
                        db.password(), 2, Duration.ofSeconds(1), false, List.of(), List.of()));
                RunningServer outage = RunningServer.start(viaProxy)) {
            outage.jobs().submitJob(job().build());
            proxy.close();

            StatusRuntimeException error = catchStatus(() -> outage.jobs().submitJob(job().build()));

            assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(error.getStatus().getDescription()).startsWith("the database is unavailable; retry later");
        }
        assertThat(rows().get("job")).isEqualTo(before.get("job") + 1); // the one before the outage
    }

    private static SubmitJobRequest.Builder job() {
        return SubmitJobRequest.newBuilder().setQueue("errors").setType("noop");
    }

    /** Asserts the status and its message, and that the failed call wrote nothing. */
    private static void expect(Status.Code code, String messageStart, ThrowingCallable call) {
        Map<String, Long> before = rows();
        StatusRuntimeException error = catchStatus(call);
        assertThat(error.getStatus().getCode()).as(error.toString()).isEqualTo(code);
        if (!messageStart.isEmpty()) {
            assertThat(error.getStatus().getDescription()).startsWith(messageStart);
        }
        assertThat(rows()).as("rows after a refused call").isEqualTo(before);
    }

    private static StatusRuntimeException catchStatus(ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
        return (StatusRuntimeException) thrown;
    }

    private static Map<String, Long> rows() {
        return TABLES.stream().collect(java.util.stream.Collectors.toMap(t -> t,
                t -> db.queryLong("SELECT COUNT(*) FROM " + t)));
    }
}
