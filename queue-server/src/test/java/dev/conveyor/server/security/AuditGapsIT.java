package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import dev.conveyor.proto.v1.RetryJobRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import dev.conveyor.server.AuditRetention;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log's gaps of issue 12 (hole 7): mutating calls refused as bad input leave a record
 * with their target, as do failed cancels and retries; without authentication the submissions are
 * recorded as {@code anonymous}; and the log has a retention of its own, pruned in bounded batches.
 */
@ExtendWith(TestDatabase.class)
class AuditGapsIT {
    private static final long NO_SUCH_JOB = 987_654_321L;

    @Test
    void refusedAndFailedMutatingCallsAreRecordedWithTheirTarget(TestDb db, @TempDir Path dir) throws Exception {
        try (SecureServer server = SecureServer.start(db.open(), new ServerSecurity.Settings(null,
                SecureServer.tokenFile(dir), RateLimits.Settings.DEFAULTS))) {
            ManagedChannel submitter = server.plaintext(Role.SUBMITTER);
            ManagedChannel operator = server.plaintext(Role.OPERATOR);
            try {
                refused(Status.Code.INVALID_ARGUMENT, () -> jobs(submitter).submitJob(SubmitJobRequest.newBuilder()
                        .setQueue("Not A Queue").setType("noop").build()));
                refused(Status.Code.INVALID_ARGUMENT, () -> jobs(submitter).submitJobs(SubmitJobsRequest.newBuilder()
                        .addJobs(SubmitJobRequest.newBuilder().setQueue("audited").setType("noop")
                                .putLabels("note", "bidi\u202Eoverride"))
                        .build()));
                refused(Status.Code.INVALID_ARGUMENT, () -> jobs(operator).cancelJob(CancelJobRequest.newBuilder()
                        .setId(-4).build()));
                refused(Status.Code.NOT_FOUND, () -> jobs(operator).cancelJob(CancelJobRequest.newBuilder()
                        .setId(NO_SUCH_JOB).build()));
                refused(Status.Code.NOT_FOUND, () -> jobs(operator).retryJob(RetryJobRequest.newBuilder()
                        .setId(NO_SUCH_JOB).build()));
                refused(Status.Code.INVALID_ARGUMENT, () -> QueueAdminServiceGrpc.newBlockingStub(operator)
                        .withDeadlineAfter(20, TimeUnit.SECONDS).pauseQueue(PauseQueueRequest.newBuilder()
                                .setQueue("../etc").build()));
            } finally {
                submitter.shutdownNow();
                operator.shutdownNow();
            }
        }
        List<Map<String, Object>> log = db.queryRows(
                "SELECT actor, action, target, outcome, detail FROM audit_event WHERE actor IN ('sub', 'op') ORDER BY id");
        assertThat(log).extracting(r -> r.get("actor") + " " + r.get("action") + " " + r.get("target") + " "
                + r.get("outcome")).containsExactly(
                "sub JobService/SubmitJob queue Not A Queue FAILED",
                "sub JobService/SubmitJobs 1 job(s) FAILED",
                "op JobService/CancelJob job -4 FAILED",
                "op JobService/CancelJob job " + NO_SUCH_JOB + " FAILED",
                "op JobService/RetryJob job " + NO_SUCH_JOB + " FAILED",
                "op QueueAdminService/PauseQueue queue ../etc FAILED");
        assertThat(log).allSatisfy(r -> assertThat((String) r.get("detail")).isNotBlank());
        assertThat((String) log.get(0).get("detail")).contains("INVALID_ARGUMENT").contains("queue");
        assertThat((String) log.get(3).get("detail")).contains("NOT_FOUND").contains(String.valueOf(NO_SUCH_JOB));
    }

    @Test
    void withoutAuthenticationSubmissionsAreRecordedAsAnonymous(TestDb db) throws Exception {
        try (SecureServer server = SecureServer.start(db.open(), ServerSecurity.Settings.plaintextOpen())) {
            ManagedChannel laptop = server.channel(InsecureChannelCredentials.create());
            try {
                long id = jobs(laptop).submitJob(SubmitJobRequest.newBuilder().setQueue("laptop").setType("noop")
                        .build()).getJob().getId();
                assertThat(db.queryRows("SELECT actor, action, target, outcome FROM audit_event WHERE target = ?",
                        "job " + id))
                        .singleElement().satisfies(r -> {
                            assertThat(r.get("actor")).isEqualTo("anonymous");
                            assertThat(r.get("action")).isEqualTo("JobService/SubmitJob");
                            assertThat(r.get("target")).isEqualTo("job " + id);
                            assertThat(r.get("outcome")).isEqualTo("OK");
                        });
            } finally {
                laptop.shutdownNow();
            }
        }
    }

    @Test
    void theAuditLogIsPrunedPastItsOwnRetentionInBoundedBatches(TestDb db) {
        QueueManager queues = new QueueManager(db.open());
        for (int i = 0; i < 25; i++) {
            db.update("INSERT INTO audit_event (at, actor, action, outcome) VALUES "
                    + "(TIMESTAMPADD(DAY, -400, NOW(6)), 'old', 'JobService/SubmitJob', 'OK')");
        }
        db.update("INSERT INTO audit_event (at, actor, action, outcome) VALUES "
                + "(TIMESTAMPADD(DAY, -40, NOW(6)), 'kept', 'JobService/SubmitJob', 'OK')");

        assertThat(queues.pruneAudit(Duration.ofDays(365), 10)).as("one bounded batch").isEqualTo(10);
        AuditRetention retention = new AuditRetention(queues, new AuditRetention.Config(Duration.ofDays(365),
                Duration.ofMinutes(1), 10));
        assertThat(retention.round()).isEqualTo(15);
        assertThat(db.queryList("SELECT actor FROM audit_event WHERE actor IN ('old', 'kept')"))
                .containsExactly("kept");

        assertThat(AuditRetention.Config.DEFAULT_KEEP).as("the audit log outlives the jobs it describes")
                .isGreaterThan(dev.conveyor.worker.RetentionTask.Config.DEFAULT_KEEP);
        assertThatThrownBy(() -> new AuditRetention.Config(Duration.ofDays(-1), Duration.ofMinutes(1), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void refused(Status.Code expected, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(expected));
    }

    private static JobServiceGrpc.JobServiceBlockingStub jobs(ManagedChannel channel) {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }
}
