package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.AuditEvent;
import dev.conveyor.proto.v1.AuditServiceGrpc;
import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.ListAuditEventsRequest;
import dev.conveyor.proto.v1.ListAuditEventsResponse;
import dev.conveyor.proto.v1.ListJobsRequest;
import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import dev.conveyor.proto.v1.ResumeQueueRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Allowed mutating calls leave an OK record written with their change, failed ones a FAILED
 * record; jobs record who submitted them, and a submitter reads only its own; the audit log
 * reads back through AuditService a page at a time.
 */
@ExtendWith(TestDatabase.class)
class AuditIT {
    @Test
    void everyMutatingCallIsAuditedWithItsCallerAndSubmittersSeeOnlyTheirJobs(TestDb db, @TempDir Path dir)
            throws Exception {
        try (SecureServer server = SecureServer.start(db.open(), new ServerSecurity.Settings(null,
                SecureServer.tokenFile(dir, "other-team submitter sha256:" + TokenFile.hash("other-token")),
                RateLimits.Settings.DEFAULTS))) {
            ManagedChannel submitter = server.plaintext(Role.SUBMITTER);
            ManagedChannel operator = server.plaintext(Role.OPERATOR);
            ManagedChannel other = server.channel(new ClientSecurity(true, null, null, null, "other-token"));
            try {
                Job mine = jobs(submitter).submitJob(SubmitJobRequest.newBuilder().setQueue("audited").setType("noop")
                        .build()).getJob();
                Job theirs = jobs(other).submitJob(SubmitJobRequest.newBuilder().setQueue("audited").setType("noop")
                        .build()).getJob();
                assertThat(mine.getCreatedBy()).isEqualTo("sub");
                assertThat(theirs.getCreatedBy()).isEqualTo("other-team");

                assertThat(jobs(submitter).getJob(GetJobRequest.newBuilder().setId(mine.getId()).build()).getId())
                        .isEqualTo(mine.getId());
                assertThatThrownBy(() -> jobs(submitter).getJob(GetJobRequest.newBuilder().setId(theirs.getId()).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.NOT_FOUND));
                assertThat(jobs(submitter).listJobs(ListJobsRequest.getDefaultInstance()).getJobsList())
                        .extracting(Job::getId).containsExactly(mine.getId());
                assertThat(jobs(operator).listJobs(ListJobsRequest.getDefaultInstance()).getJobsList())
                        .extracting(Job::getId).containsExactlyInAnyOrder(mine.getId(), theirs.getId());

                jobs(operator).cancelJob(CancelJobRequest.newBuilder().setId(mine.getId()).setReason("not needed").build());
                assertThatThrownBy(() -> jobs(operator).cancelJob(CancelJobRequest.newBuilder().setId(mine.getId())
                        .build())).isInstanceOf(StatusRuntimeException.class);
                QueueAdminServiceGrpc.newBlockingStub(operator).withDeadlineAfter(20, TimeUnit.SECONDS)
                        .pauseQueue(PauseQueueRequest.newBuilder().setQueue("audited").build());
                QueueAdminServiceGrpc.newBlockingStub(operator).withDeadlineAfter(20, TimeUnit.SECONDS)
                        .resumeQueue(ResumeQueueRequest.newBuilder().setQueue("audited").build());

                List<AuditEvent> log = readAll(operator, 2);
                assertThat(log).extracting(e -> e.getActor() + " " + e.getAction() + " " + e.getTarget() + " "
                        + e.getOutcome()).containsExactly(
                        "op QueueAdminService/ResumeQueue queue audited OK",
                        "op QueueAdminService/PauseQueue queue audited OK",
                        "op JobService/CancelJob job " + mine.getId() + " FAILED",
                        "op JobService/CancelJob job " + mine.getId() + " OK",
                        "other-team JobService/SubmitJob job " + theirs.getId() + " OK",
                        "sub JobService/SubmitJob job " + mine.getId() + " OK");
                assertThat(log).allSatisfy(e -> assertThat(e.getRemote()).startsWith("127.0.0.1:"));
                assertThat(log.get(2).getDetail()).contains(String.valueOf(mine.getId()));

                assertThat(AuditServiceGrpc.newBlockingStub(operator).listAuditEvents(ListAuditEventsRequest.newBuilder()
                        .setActor("other-team").build()).getEventsList()).singleElement()
                        .satisfies(e -> assertThat(e.getRoles()).isEqualTo("submitter"));
            } finally {
                submitter.shutdownNow();
                operator.shutdownNow();
                other.shutdownNow();
            }
        }
    }

    /** The whole log, newest first, read {@code pageSize} records at a time. */
    private static List<AuditEvent> readAll(ManagedChannel channel, int pageSize) {
        List<AuditEvent> all = new ArrayList<>();
        String token = "";
        do {
            ListAuditEventsResponse page = AuditServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20,
                    TimeUnit.SECONDS).listAuditEvents(ListAuditEventsRequest.newBuilder().setPageSize(pageSize)
                    .setPageToken(token).build());
            all.addAll(page.getEventsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    private static JobServiceGrpc.JobServiceBlockingStub jobs(ManagedChannel channel) {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }
}
