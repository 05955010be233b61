package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Submissions over an identity's limit: RESOURCE_EXHAUSTED with RetryInfo, audited, nothing written. */
@ExtendWith(TestDatabase.class)
class RateLimitIT {
    private static final Duration PERIOD = Duration.ofMinutes(10);

    @Test
    void anIdentityOverItsLimitIsToldWhenToRetryAndOthersAreNotAffected(TestDb db, @TempDir Path dir) throws Exception {
        try (SecureServer server = SecureServer.start(db.open(), new ServerSecurity.Settings(null,
                SecureServer.tokenFile(dir), new RateLimits.Settings(3, PERIOD)))) {
            ManagedChannel submitter = server.plaintext(Role.SUBMITTER);
            ManagedChannel admin = server.plaintext(Role.ADMIN);
            try {
                SubmitJobRequest job = SubmitJobRequest.newBuilder().setQueue("limited").setType("noop").build();
                jobs(submitter).submitJobs(SubmitJobsRequest.newBuilder().addJobs(job).addJobs(job).build());
                jobs(submitter).submitJob(job);
                long before = db.queryLong("SELECT COUNT(*) FROM job");

                assertThatThrownBy(() -> jobs(submitter).submitJob(job))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                            assertThat(e.getStatus().getDescription()).contains("sub is over its limit of 3");
                            com.google.rpc.Status details = StatusProto.fromThrowable(e);
                            assertThat(details.getDetailsList()).anySatisfy(any -> {
                                assertThat(any.is(RetryInfo.class)).isTrue();
                                assertThat(any.unpack(RetryInfo.class).getRetryDelay().getSeconds())
                                        .isEqualTo(PERIOD.toSeconds());
                            });
                        });

                assertThat(db.queryLong("SELECT COUNT(*) FROM job")).as("nothing written").isEqualTo(before);
                assertThat(db.queryRows("SELECT actor, action, target, outcome FROM audit_event WHERE outcome = 'DENIED'"))
                        .singleElement().satisfies(r -> {
                            assertThat(r.get("actor")).isEqualTo("sub");
                            assertThat(r.get("action")).isEqualTo("JobService/SubmitJob");
                            assertThat(r.get("target")).isEqualTo("queue limited");
                        });
                assertThat(jobs(admin).submitJob(job).getJob().getId()).as("another identity's allowance").isPositive();
            } finally {
                submitter.shutdownNow();
                admin.shutdownNow();
            }
        }
    }

    private static JobServiceGrpc.JobServiceBlockingStub jobs(ManagedChannel channel) {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }
}
