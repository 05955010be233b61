package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.AuditServiceGrpc;
import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.ListAuditEventsRequest;
import dev.conveyor.proto.v1.ListJobEventsRequest;
import dev.conveyor.proto.v1.ListJobsRequest;
import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import dev.conveyor.proto.v1.ResumeQueueRequest;
import dev.conveyor.proto.v1.RetryJobRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import dev.conveyor.proto.v1.WatchJobRequest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input for every RPC, generated from a fixed seed (so a failure names the seed and
 * try that reproduce it): oversize and empty values, control characters, injection strings,
 * negative and huge numbers, forged and altered page tokens. Each property holds for every try:
 * the answer is a clear status (INVALID_ARGUMENT, PERMISSION_DENIED, or NOT_FOUND for a
 * well-formed id that names nothing), never INTERNAL or UNKNOWN; no job, event, dependency,
 * label or pause is written; and the server still answers its health check.
 */
@ExtendWith(TestDatabase.class)
class BadInputIT {
    private static final long SEED = 20261126L;
    private static final int TRIES = 150;
    private static final List<String> WRITTEN_TABLES = List.of("job", "job_event", "job_dependency", "job_label",
            "queue_pause", "concurrency_key");

    /** Invalid as a queue, type or other name ([a-z0-9][a-z0-9_.-]{0,63}). */
    private static final List<String> BAD_NAMES = List.of("", " ", "A", "Queue", "-lead", ".dot", "a".repeat(65),
            "x".repeat(10_000), "a b", "a/b", "../../etc/passwd", "x'; DROP TABLE job; --", "\" OR 1=1 --",
            "${jndi:ldap://127.0.0.1/a}", "<script>alert(1)</script>", "%s%n%x", "nul\u0000byte", "tab\tbed",
            "line\nbreak", "é", "日本", "😀", "\u202Eevil", "\uFEFFbom");
    /** Invalid as a label key ([a-z0-9][a-z0-9_./-]{0,62}). */
    private static final List<String> BAD_LABEL_KEYS = List.of("A", "-x", "x".repeat(64), "a b", "nul\u0000", "😀",
            "x'; DROP TABLE job; --", "${jndi:ldap://127.0.0.1/a}");
    /** Invalid as free text (reason, label value): control characters or too long. */
    private static final List<String> BAD_TEXT = List.of("nul\u0000", "bell\u0007", "esc\u001B[31m", "r".repeat(5_000),
            "\u0085next", "back\bspace");
    private static final List<Long> BAD_IDS = List.of(0L, -1L, -42L, Long.MIN_VALUE, (long) Integer.MIN_VALUE);
    private static final List<Integer> BAD_INTS = List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, -1, -1000, 1_000_001);

    private static SecureServer server;
    private static ManagedChannel admin;
    private static ManagedChannel submitter;
    private static TestDb db;
    private final Random random = new Random(SEED);
    private List<Long> before;

    @BeforeAll
    static void start(TestDb testDb, @TempDir Path dir) throws Exception {
        db = testDb;
        server = SecureServer.start(db.open(), new ServerSecurity.Settings(null, SecureServer.tokenFile(dir),
                new RateLimits.Settings(1_000_000, Duration.ofSeconds(1))));
        admin = server.plaintext(Role.ADMIN);
        submitter = server.plaintext(Role.SUBMITTER);
        // One real job, so that forged tokens and ids are tried next to something that exists.
        jobs(admin).submitJob(SubmitJobRequest.newBuilder().setQueue("real").setType("noop").build());
    }

    @AfterAll
    static void stop() {
        admin.shutdownNow();
        submitter.shutdownNow();
        server.close();
    }

    @BeforeEach
    void countRows() {
        before = counts();
    }

    @AfterEach
    void nothingWrittenAndStillHealthy() {
        assertThat(counts()).as("rows in " + WRITTEN_TABLES).isEqualTo(before);
        assertThat(HealthGrpc.newBlockingStub(admin).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void submitJobWithAnyFieldBrokenIsInvalidArgument() {
        property("SubmitJob", () -> broken(valid()), r -> jobs(admin).submitJob(r), Set.of(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void submitJobsWithOneBrokenJobOrABadBatchSizeIsInvalidArgumentAndWritesNone() {
        property("SubmitJobs", () -> {
            SubmitJobsRequest.Builder batch = SubmitJobsRequest.newBuilder();
            int size = random.nextInt(5) == 0 ? 1001 + random.nextInt(50) : 1 + random.nextInt(5);
            int bad = random.nextInt(size);
            for (int i = 0; i < size; i++) {
                batch.addJobs(i == bad && size <= 1000 ? broken(valid()) : valid().build());
            }
            return batch.build();
        }, r -> jobs(admin).submitJobs(r), Set.of(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void readingWithHostileIdsFiltersOrTokensIsInvalidArgumentOrNotFound() {
        Set<Status.Code> expected = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND);
        property("GetJob", () -> GetJobRequest.newBuilder().setId(anyId()).build(), r -> jobs(admin).getJob(r), expected);
        property("ListJobEvents", () -> ListJobEventsRequest.newBuilder().setJobId(anyId())
                .setPageSize(random.nextBoolean() ? pick(BAD_INTS) : 10).setPageToken(forgedToken()).build(),
                r -> jobs(admin).listJobEvents(r), expected);
        property("WatchJob", () -> WatchJobRequest.newBuilder().setId(anyId()).build(),
                r -> jobs(admin).withDeadlineAfter(10, TimeUnit.SECONDS).watchJob(r).hasNext(), expected);
        property("ListJobs", () -> {
            ListJobsRequest.Builder b = ListJobsRequest.newBuilder();
            switch (random.nextInt(6)) {
                case 0 -> b.setQueue(pick(BAD_NAMES.subList(1, BAD_NAMES.size())));
                case 1 -> b.setType(pick(BAD_NAMES.subList(1, BAD_NAMES.size())));
                case 2 -> b.setPageSize(Math.min(-1, pick(BAD_INTS)));
                case 3 -> b.setLabelKey(pick(BAD_LABEL_KEYS));
                case 4 -> b.setCreateTimeFrom(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE / 2));
                default -> b.setPageToken(forgedToken());
            }
            return b.build();
        }, r -> jobs(admin).listJobs(r), Set.of(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void controllingJobsAndQueuesWithHostileValuesIsInvalidArgumentOrNotFound() {
        property("CancelJob", () -> CancelJobRequest.newBuilder().setId(anyId())
                        .setReason(random.nextBoolean() ? pick(BAD_TEXT) : "").build(),
                r -> jobs(admin).cancelJob(r), Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND));
        property("RetryJob", () -> RetryJobRequest.newBuilder().setId(anyId()).build(), r -> jobs(admin).retryJob(r),
                Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND));
        property("PauseQueue", () -> PauseQueueRequest.newBuilder().setQueue(pick(BAD_NAMES)).build(),
                r -> queues(admin).pauseQueue(r), Set.of(Status.Code.INVALID_ARGUMENT));
        property("ResumeQueue", () -> ResumeQueueRequest.newBuilder().setQueue(pick(BAD_NAMES)).build(),
                r -> queues(admin).resumeQueue(r), Set.of(Status.Code.INVALID_ARGUMENT));
        property("ListAuditEvents", () -> ListAuditEventsRequest.newBuilder()
                        .setActor(random.nextBoolean() ? pick(BAD_NAMES.subList(1, BAD_NAMES.size())) : "")
                        .setPageToken(forgedToken()).setPageSize(random.nextBoolean() ? 10 : Math.min(-1, pick(BAD_INTS)))
                        .build(),
                r -> AuditServiceGrpc.newBlockingStub(admin).withDeadlineAfter(10, TimeUnit.SECONDS).listAuditEvents(r),
                Set.of(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void bytesThatAreNotTheRequestOrNotUtf8AreInvalidArgument() {
        List<MethodDescriptor<?, ?>> unary = List.of(JobServiceGrpc.getSubmitJobMethod(),
                JobServiceGrpc.getSubmitJobsMethod(), JobServiceGrpc.getGetJobMethod(), JobServiceGrpc.getListJobsMethod(),
                JobServiceGrpc.getCancelJobMethod(), QueueAdminServiceGrpc.getPauseQueueMethod(),
                AuditServiceGrpc.getListAuditEventsMethod());
        property("raw bytes", () -> {
            MethodDescriptor<?, ?> method = pick(unary);
            return new RawCall(method.getFullMethodName(), random.nextBoolean() ? notUtf8String() : garbage());
        }, call -> call.send(admin), Set.of(Status.Code.INVALID_ARGUMENT));
    }

    /** A request as bytes on the wire, sent without the client's own checks. */
    private record RawCall(String method, byte[] body) {
        private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };

        Object send(ManagedChannel channel) {
            MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.newBuilder(BYTES, BYTES)
                    .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method).build();
            return ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT.withDeadlineAfter(20,
                    TimeUnit.SECONDS), body);
        }

        @Override
        public String toString() {
            return method + " " + HexFormat.of().formatHex(body, 0, Math.min(body.length, 40));
        }
    }

    /** Field 1 (a string in every request here) holding bytes that are not UTF-8. */
    private byte[] notUtf8String() {
        byte[] bad = {'q', (byte) 0xC3, (byte) 0x28, (byte) (0x80 + random.nextInt(64))};
        byte[] body = new byte[2 + bad.length];
        body[0] = 0x0A; // field 1, length-delimited
        body[1] = (byte) bad.length;
        System.arraycopy(bad, 0, body, 2, bad.length);
        return body;
    }

    /** Random bytes: most do not parse as any message. */
    private byte[] garbage() {
        byte[] body = new byte[1 + random.nextInt(64)];
        random.nextBytes(body);
        body[0] = (byte) 0xFF; // field 31, wire type 7: never valid
        return body;
    }

    @Test
    void aRoleWithoutTheRpcIsDeniedWhateverItSends() {
        property("CancelJob as submitter", () -> CancelJobRequest.newBuilder().setId(anyId())
                        .setReason(pick(BAD_TEXT)).build(), r -> jobs(submitter).cancelJob(r),
                Set.of(Status.Code.PERMISSION_DENIED));
        property("PauseQueue as submitter", () -> PauseQueueRequest.newBuilder().setQueue(pick(BAD_NAMES)).build(),
                r -> queues(submitter).pauseQueue(r), Set.of(Status.Code.PERMISSION_DENIED));
    }

    /** Runs {@link #TRIES} generated requests; every one must end with one of {@code expected}. */
    private <Q> void property(String rpc, Supplier<Q> generator, Function<Q, ?> call, Set<Status.Code> expected) {
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            Q request = generator.get();
            Status.Code code;
            try {
                call.apply(request);
                code = Status.Code.OK;
            } catch (StatusRuntimeException e) {
                code = e.getStatus().getCode();
            }
            if (!expected.contains(code)) {
                violations.add(rpc + " try " + i + " (seed " + SEED + "): " + code + " for " + shorten(request));
            }
        }
        assertThat(violations).as(rpc + ": every answer in " + expected + ", never INTERNAL/UNKNOWN").isEmpty();
    }

    private SubmitJobRequest.Builder valid() {
        return SubmitJobRequest.newBuilder().setQueue("bad-input").setType("noop").setMaxAttempts(3);
    }

    /** A valid request with one to three of its fields made invalid. */
    private SubmitJobRequest broken(SubmitJobRequest.Builder b) {
        int faults = 1 + random.nextInt(3);
        for (int f = 0; f < faults; f++) {
            switch (random.nextInt(11)) {
                case 0 -> b.setQueue(pick(BAD_NAMES));
                case 1 -> b.setType(pick(BAD_NAMES));
                case 2 -> b.setPayload(ByteString.copyFrom(new byte[1024 * 1024 + 1 + random.nextInt(1024)]));
                case 3 -> b.setPriority(random.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE);
                case 4 -> b.setMaxAttempts(random.nextBoolean() ? -1 - random.nextInt(1000) : Integer.MAX_VALUE);
                case 5 -> b.setIdempotencyKey(random.nextBoolean() ? "k".repeat(300) : pick(BAD_TEXT));
                case 6 -> b.addDependsOn(pick(BAD_IDS));
                case 7 -> b.putLabels(pick(BAD_LABEL_KEYS), "v");
                case 8 -> b.setRunTime(Timestamp.newBuilder().setSeconds(random.nextBoolean() ? -62_135_596_800L * 2
                        : 253_402_300_799L * 2));
                case 9 -> b.setConcurrencyKey("c").setConcurrencyLimit(Math.min(-1, pick(BAD_INTS)));
                default -> b.setContentType("\u0000" + "t".repeat(random.nextInt(500)));
            }
        }
        return b.build();
    }

    private long anyId() {
        return random.nextInt(3) == 0 ? Long.MAX_VALUE - random.nextInt(1000) : pick(BAD_IDS);
    }

    /** Random bytes, an altered real-looking token, or junk text. */
    private String forgedToken() {
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] bytes = new byte[1 + random.nextInt(64)];
                random.nextBytes(bytes);
                yield Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            }
            case 1 -> "AQAAAAAAAAAB" + "A".repeat(22);
            case 2 -> pick(BAD_NAMES.subList(1, BAD_NAMES.size()));
            default -> "%%%" + new String(new byte[] {(byte) 0xC3, (byte) 0x28}, StandardCharsets.ISO_8859_1);
        };
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private List<Long> counts() {
        return WRITTEN_TABLES.stream().map(t -> db.queryLong("SELECT COUNT(*) FROM " + t)).toList();
    }

    private static String shorten(Object request) {
        String text = String.valueOf(request).replace('\n', ' ');
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static JobServiceGrpc.JobServiceBlockingStub jobs(ManagedChannel channel) {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static QueueAdminServiceGrpc.QueueAdminServiceBlockingStub queues(ManagedChannel channel) {
        return QueueAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }
}
