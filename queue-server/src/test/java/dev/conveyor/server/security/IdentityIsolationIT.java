package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.ListJobEventsRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobResponse;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import dev.conveyor.proto.v1.SubmitJobsResponse;
import dev.conveyor.proto.v1.WatchJobRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * What one submitter can learn of, or do to, another identity's jobs (issue 12, holes 1, 4 and 8):
 * nothing. Idempotency keys are the submitter's own; a job it may not read is, to it, a job that
 * does not exist, whether it reads it, attaches a child to it or depends on it.
 */
@ExtendWith(TestDatabase.class)
class IdentityIsolationIT {
    private static final long NO_SUCH_JOB = 987_654_321L;

    private static SecureServer server;
    private static TestDb db;
    private static ManagedChannel sub;
    private static ManagedChannel other;
    private static ManagedChannel admin;

    @BeforeAll
    static void start(TestDb testDb, @TempDir Path dir) throws Exception {
        db = testDb;
        server = SecureServer.start(db.open(), new ServerSecurity.Settings(null,
                SecureServer.tokenFile(dir, "other-team submitter sha256:" + TokenFile.hash("other-token")),
                RateLimits.Settings.DEFAULTS));
        sub = server.plaintext(Role.SUBMITTER);
        other = server.channel(new ClientSecurity(true, null, null, null, "other-token"));
        admin = server.plaintext(Role.ADMIN);
    }

    @AfterAll
    static void stop() {
        sub.shutdownNow();
        other.shutdownNow();
        admin.shutdownNow();
        server.close();
    }

    @Test
    void anotherIdentitysIdempotencyKeyNeitherReturnsNorConflictsWithNorBlocksItsJob() {
        SubmitJobRequest order = job("keys", "order-1", "mine");
        SubmitJobResponse mine = jobs(sub).submitJob(order);

        // The same request under the same key, from another identity: a job of its own.
        SubmitJobResponse theirs = jobs(other).submitJob(order);
        assertThat(theirs.getDeduplicated()).isFalse();
        assertThat(theirs.getJob().getId()).isNotEqualTo(mine.getJob().getId());
        assertThat(theirs.getJob().getCreatedBy()).isEqualTo("other-team");

        // Another request under the same key, from a third identity: no conflict, no id of others.
        SubmitJobResponse admins = jobs(admin).submitJob(job("keys", "order-1", "something else"));
        assertThat(admins.getDeduplicated()).isFalse();

        // Each identity's own resend still answers with its own job.
        assertThat(jobs(sub).submitJob(order)).satisfies(r -> {
            assertThat(r.getDeduplicated()).isTrue();
            assertThat(r.getJob().getId()).isEqualTo(mine.getJob().getId());
        });
        assertThat(jobs(other).submitJob(order).getJob().getId()).isEqualTo(theirs.getJob().getId());
        assertThatThrownBy(() -> jobs(sub).submitJob(job("keys", "order-1", "changed")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
                    assertThat(e.getStatus().getDescription()).contains(String.valueOf(mine.getJob().getId()))
                            .doesNotContain(String.valueOf(theirs.getJob().getId()));
                });
    }

    @Test
    void aKeyTakenFirstByAnotherIdentityBlocksNeitherSingleNorBatchSubmissions() {
        SubmitJobsResponse squatted = jobs(other).submitJobs(SubmitJobsRequest.newBuilder()
                .addJobs(job("squat", "k-1", "x")).addJobs(job("squat", "k-2", "x")).build());
        Job single = jobs(sub).submitJob(job("squat", "k-1", "mine")).getJob();
        SubmitJobsResponse batch = jobs(sub).submitJobs(SubmitJobsRequest.newBuilder()
                .addJobs(job("squat", "k-2", "mine")).addJobs(job("squat", "k-3", "mine")).build());

        assertThat(single.getCreatedBy()).isEqualTo("sub");
        assertThat(batch.getResultsList()).allSatisfy(r -> {
            assertThat(r.getDeduplicated()).isFalse();
            assertThat(r.getJob().getCreatedBy()).isEqualTo("sub");
        });
        assertThat(batch.getResults(0).getJob().getId()).isNotIn(squatted.getResults(0).getJob().getId(),
                squatted.getResults(1).getJob().getId());
        // The batch path's lookup is scoped too: a resend deduplicates against the caller's own jobs only.
        SubmitJobsResponse again = jobs(sub).submitJobs(SubmitJobsRequest.newBuilder()
                .addJobs(job("squat", "k-2", "mine")).addJobs(job("squat", "k-3", "mine")).build());
        assertThat(again.getResultsList()).extracting(r -> r.getJob().getId())
                .containsExactly(batch.getResults(0).getJob().getId(), batch.getResults(1).getJob().getId());
    }

    @Test
    void anotherIdentitysJobIsNotFoundExactlyAsAJobThatDoesNotExist() {
        long theirs = jobs(other).submitJob(job("hidden", null, "x")).getJob().getId();

        for (ThrowingConsumer<Long> read : java.util.List.<ThrowingConsumer<Long>>of(
                id -> jobs(sub).getJob(GetJobRequest.newBuilder().setId(id).build()),
                id -> jobs(sub).listJobEvents(ListJobEventsRequest.newBuilder().setJobId(id).build()),
                id -> jobs(sub).watchJob(WatchJobRequest.newBuilder().setId(id).build()).hasNext())) {
            assertThat(refusal(read, theirs)).isEqualTo(refusal(read, NO_SUCH_JOB));
            assertThat(refusal(read, NO_SUCH_JOB)).startsWith("NOT_FOUND");
        }
    }

    @Test
    void aSubmitterMayAttachToOrDependOnOnlyJobsItMayRead() {
        // Both are parents still waiting for children, so only readability can refuse an attachment.
        long theirs = jobs(other).submitJob(job("workflow", null, "parent").toBuilder().setAwaitChildren(true).build())
                .getJob().getId();
        long mine = jobs(sub).submitJob(job("workflow", null, "parent").toBuilder().setAwaitChildren(true).build())
                .getJob().getId();
        long before = db.queryLong("SELECT COUNT(*) FROM job");

        ThrowingConsumer<Long> attach = id -> jobs(sub).submitJob(job("workflow", null, "child").toBuilder()
                .setParentId(id).setDelay(com.google.protobuf.Duration.newBuilder().setSeconds(31_536_000)).build());
        ThrowingConsumer<Long> depend = id -> jobs(sub).submitJob(job("workflow", null, "dependent").toBuilder()
                .addDependsOn(id).build());
        ThrowingConsumer<Long> dependInBatch = id -> jobs(sub).submitJobs(SubmitJobsRequest.newBuilder()
                .addJobs(job("workflow", null, "dependent").toBuilder().addDependsOn(id)).build());
        for (ThrowingConsumer<Long> tamper : java.util.List.of(attach, depend, dependInBatch)) {
            assertThat(refusal(tamper, theirs)).isEqualTo(refusal(tamper, NO_SUCH_JOB));
        }
        assertThat(db.queryLong("SELECT COUNT(*) FROM job")).as("nothing written").isEqualTo(before);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE parent_id = ?", theirs)).isZero();

        // Its own jobs, and for an identity that reads every job any job, stay usable.
        assertThat(jobs(sub).submitJob(job("workflow", null, "child").toBuilder().setParentId(mine)
                .addDependsOn(mine).build()).getJob().getParentId()).isEqualTo(mine);
        assertThat(jobs(admin).submitJob(job("workflow", null, "child").toBuilder().setParentId(theirs)
                .build()).getJob().getParentId()).isEqualTo(theirs);
    }

    @Test
    void aBatchRefusedForARepeatedKeyNamesNoJobThatWasRolledBack() {
        long nextId = db.queryLong("SELECT COALESCE(MAX(id), 0) + 1 FROM job");
        assertThatThrownBy(() -> jobs(sub).submitJobs(SubmitJobsRequest.newBuilder()
                .addJobs(job("repeat", "dup", "first")).addJobs(job("repeat", "dup", "second")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("jobs[1].idempotency_key")
                            .contains("jobs[0]").doesNotContain("job " + nextId)
                            .doesNotContainPattern("job \\d+");
                });
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = 'repeat'")).isZero();
    }

    /** The status code and description of the call's failure, with {@code id} written as "#". */
    private static String refusal(ThrowingConsumer<Long> call, long id) {
        try {
            call.accept(id);
        } catch (StatusRuntimeException e) {
            String description = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
            return e.getStatus().getCode() + ": " + description.replace(String.valueOf(id), "#");
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        throw new AssertionError("the call with job " + id + " succeeded");
    }

    private static SubmitJobRequest job(String queue, String key, String payload) {
        SubmitJobRequest.Builder b = SubmitJobRequest.newBuilder().setQueue(queue).setType("noop")
                .setPayload(ByteString.copyFrom(payload, StandardCharsets.UTF_8));
        if (key != null) {
            b.setIdempotencyKey(key);
        }
        return b.build();
    }

    private static JobServiceGrpc.JobServiceBlockingStub jobs(ManagedChannel channel) {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }
}
