package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.ListQueuesRequest;
import dev.conveyor.proto.v1.ManifestFormat;
import dev.conveyor.proto.v1.ManifestText;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import dev.conveyor.proto.v1.RackServiceGrpc;
import dev.conveyor.proto.v1.ValidateRackRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rack input is bounded (issue 12, holes 5 and 6): what an error echoes is truncated; a manifest's
 * size and parse cost are bounded below the message cap; duplicate keys and YAML aliases are
 * refused; many large manifests at once do not starve the server; and the jobs a validation
 * creates count against its caller's submit rate.
 */
@ExtendWith(TestDatabase.class)
class RackLimitsIT {
    /** dc-sim's rack r1: 2 switches and 20 servers, so a validation creates 23 jobs. */
    private static final String RACK_R1 = resource("examples/rack-r1.yaml");
    private static final int JOBS_PER_RACK = 23;

    private static SecureServer server;
    private static TestDb db;
    private static ManagedChannel tech;
    private static ManagedChannel op;

    @BeforeAll
    static void start(TestDb testDb, @TempDir Path dir) throws Exception {
        db = testDb;
        // Room for two validations per period, not three.
        server = SecureServer.start(SecureServer.familyDatabase(db), new ServerSecurity.Settings(null,
                SecureServer.tokenFile(dir), new RateLimits.Settings(2 * JOBS_PER_RACK + 5, Duration.ofMinutes(10))),
                true);
        tech = server.plaintext(Role.TECHNICIAN);
        op = server.plaintext(Role.OPERATOR);
    }

    @AfterAll
    static void stop() {
        tech.shutdownNow();
        op.shutdownNow();
        server.close();
    }

    @Test
    void aHugeRackIdIsNotEchoedWhole() {
        String huge = "r".repeat(100_000);
        StatusRuntimeException e = refusal(tech, yaml(RACK_R1.replace("rackId: r1", "rackId: " + huge)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("rackId").hasSizeLessThan(4_000)
                .doesNotContain("r".repeat(1_000));
    }

    @Test
    void aManifestPastTheLimitIsRefusedWithoutParsingAndTheLimitIsBelowTheMessageCap() {
        String padded = RACK_R1 + "#" + "x".repeat(1_800_000) + "\n";
        StatusRuntimeException e = refusal(tech, yaml(padded));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("manifest").contains("at most");
    }

    @Test
    void duplicateKeysAndYamlAliasesAreRefusedWithAClearError() {
        StatusRuntimeException duplicate = refusal(tech, yaml(RACK_R1.replace("rackId: r1", "rackId: r1\nrackId: r2")));
        assertThat(duplicate.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(duplicate.getStatus().getDescription()).containsIgnoringCase("duplicate").contains("rackId");

        StatusRuntimeException json = refusal(tech, ValidateRackRequest.newBuilder().setManifestText(ManifestText
                .newBuilder().setFormat(ManifestFormat.MANIFEST_FORMAT_JSON).setText("{\"rackId\": \"a\", \"rackId\": \"b\"}"))
                .build());
        assertThat(json.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(json.getStatus().getDescription()).containsIgnoringCase("duplicate");

        String bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nrackId: r1\n";
        StatusRuntimeException aliases = refusal(tech, yaml(bomb));
        assertThat(aliases.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(aliases.getStatus().getDescription()).containsIgnoringCase("alias");
    }

    @Test
    void manyLargeManifestsAtOnceAreBoundedAndOtherCallsStillAnswer() throws Exception {
        // Just under the size limit: a valid rack followed by many long comment lines.
        StringBuilder big = new StringBuilder(RACK_R1);
        while (big.length() < 950_000) {
            big.append("# ").append("y".repeat(200)).append('\n');
        }
        ValidateRackRequest request = yaml(big.toString().replace("rackId: r1", "rackId: r1\nrackId: r1"));
        int parallel = 24;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Status.Code>> answers = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                answers.add(pool.submit(() -> refusal(tech, request).getStatus().getCode()));
            }
            long start = System.nanoTime();
            QueueAdminServiceGrpc.newBlockingStub(op).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listQueues(ListQueuesRequest.getDefaultInstance());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("another call while they are parsed")
                    .isLessThan(Duration.ofSeconds(3));
            for (Future<Status.Code> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isIn(Status.Code.INVALID_ARGUMENT,
                        Status.Code.RESOURCE_EXHAUSTED);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theJobsAValidationCreatesCountAgainstItsCallersSubmitRate() {
        long jobsBefore = db.queryLong("SELECT COUNT(*) FROM job");
        rack(tech).validateRack(yaml(RACK_R1));
        rack(tech).validateRack(yaml(RACK_R1));
        assertThat(db.queryLong("SELECT COUNT(*) FROM job")).isEqualTo(jobsBefore + 2 * JOBS_PER_RACK);

        StatusRuntimeException over = refusal(tech, yaml(RACK_R1));
        assertThat(over.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(over.getStatus().getDescription()).contains("tech is over its limit");
        assertThat(db.queryLong("SELECT COUNT(*) FROM job")).as("nothing of it created")
                .isEqualTo(jobsBefore + 2 * JOBS_PER_RACK);
        assertThat(db.queryRows("SELECT actor, action, outcome FROM audit_event WHERE outcome = 'DENIED'"))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("actor")).isEqualTo("tech");
                    assertThat(r.get("action")).isEqualTo("RackService/ValidateRack");
                });
        // Another identity's allowance is its own.
        assertThat(rack(op).validateRack(yaml(RACK_R1)).getParentJobId()).isPositive();
    }

    private static StatusRuntimeException refusal(ManagedChannel channel, ValidateRackRequest request) {
        try {
            rack(channel).validateRack(request);
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the validation was accepted");
    }

    private static ValidateRackRequest yaml(String text) {
        return ValidateRackRequest.newBuilder().setManifestText(ManifestText.newBuilder()
                .setFormat(ManifestFormat.MANIFEST_FORMAT_YAML).setText(text)).build();
    }

    private static RackServiceGrpc.RackServiceBlockingStub rack(ManagedChannel channel) {
        return RackServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static String resource(String name) {
        try (InputStream in = RackLimitsIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
