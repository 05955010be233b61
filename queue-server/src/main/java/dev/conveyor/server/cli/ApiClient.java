package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.AuditServiceGrpc;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/**
 * One connection to a Conveyor server for one command, closed when the command ends. The channel
 * comes with its transport security and bearer token ({@code ClientSecurityOptions}).
 */
final class ApiClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final long timeoutSeconds;

    private ApiClient(ManagedChannel channel, long timeoutSeconds) {
        this.channel = channel;
        this.timeoutSeconds = timeoutSeconds;
    }

    static ApiClient connect(long timeoutSeconds, ManagedChannel channel) {
        if (timeoutSeconds < 1) {
            channel.shutdownNow();
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        return new ApiClient(channel, timeoutSeconds);
    }

    /** For one unary call: fails with DEADLINE_EXCEEDED after {@code --timeout}. */
    JobServiceGrpc.JobServiceBlockingStub jobs() {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** For a stream that lasts as long as the job: no deadline. */
    JobServiceGrpc.JobServiceBlockingStub jobsStreaming() {
        return JobServiceGrpc.newBlockingStub(channel);
    }

    QueueAdminServiceGrpc.QueueAdminServiceBlockingStub admin() {
        return QueueAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    }

    AuditServiceGrpc.AuditServiceBlockingStub audit() {
        return AuditServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
