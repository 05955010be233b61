package dev.conveyor.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.server.RunningServer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class ClientMetricsInterceptorIT {

    @Test
    void timesEachCallByMethodAndCodeUnderTheClientsOwnName(TestDb db) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RunningServer server = RunningServer.start(db.open())) {
            ManagedChannel channel = Grpc.newChannelBuilder(server.target(), InsecureChannelCredentials.create())
                    .intercept(new ClientMetricsInterceptor(registry)).build();
            try {
                var jobs = JobServiceGrpc.newBlockingStub(channel);
                jobs.submitJob(SubmitJobRequest.newBuilder().setQueue("client").setType("noop").build());
                catchThrowable(() -> jobs.getJob(GetJobRequest.newBuilder().setId(999_999).build()));
            } finally {
                channel.shutdownNow();
            }
        }

        assertThat(registry.get("conveyor.client.rpc").tag("method", "conveyor.v1.JobService/SubmitJob")
                .tag("code", "OK").timer().count()).isEqualTo(1);
        assertThat(registry.get("conveyor.client.rpc").tag("method", "conveyor.v1.JobService/GetJob")
                .tag("code", "NOT_FOUND").timer().count()).isEqualTo(1);
        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getName()).startsWith("conveyor.client."));
    }
}
