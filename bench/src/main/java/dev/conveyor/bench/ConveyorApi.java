package dev.conveyor.bench;

import com.google.protobuf.ByteString;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import dev.conveyor.proto.v1.ResumeQueueRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The gRPC calls the benchmark makes, on one shared channel with blocking stubs, as a client would. */
final class ConveyorApi implements AutoCloseable {
    private static final long DEADLINE_SECONDS = 60;

    private final ManagedChannel channel;
    private final JobServiceGrpc.JobServiceBlockingStub jobs;
    private final QueueAdminServiceGrpc.QueueAdminServiceBlockingStub admin;

    ConveyorApi(int grpcPort) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        jobs = JobServiceGrpc.newBlockingStub(channel);
        admin = QueueAdminServiceGrpc.newBlockingStub(channel);
    }

    static SubmitJobRequest job(String queue, String type, String payload) {
        return SubmitJobRequest.newBuilder().setQueue(queue).setType(type)
                .setPayload(ByteString.copyFrom(payload, StandardCharsets.UTF_8)).build();
    }

    /** Submits one job; returns its id once the server acknowledged it. */
    long submit(SubmitJobRequest request) {
        return jobs.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).submitJob(request).getJob().getId();
    }

    /** Submits up to 1,000 jobs in one call (one transaction on the server). */
    void submitAll(List<SubmitJobRequest> batch) {
        jobs.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .submitJobs(SubmitJobsRequest.newBuilder().addAllJobs(batch).build());
    }

    void pause(String queue) {
        admin.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .pauseQueue(PauseQueueRequest.newBuilder().setQueue(queue).build());
    }

    void resume(String queue) {
        admin.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .resumeQueue(ResumeQueueRequest.newBuilder().setQueue(queue).build());
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdown();
        if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
            channel.shutdownNow();
        }
    }
}
