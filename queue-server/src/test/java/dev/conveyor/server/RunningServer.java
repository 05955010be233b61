package dev.conveyor.server;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A whole server (gRPC, HTTP, gauges; no workers) on free ports of 127.0.0.1 over a test
 * database, with a client channel to it: what the API and CLI tests talk to.
 */
public final class RunningServer implements AutoCloseable {
    private final ConveyorNode node;
    private final ManagedChannel channel;

    private RunningServer(ConveyorNode node) {
        this.node = node;
        this.channel = Grpc.newChannelBuilder(target(), InsecureChannelCredentials.create()).build();
    }

    public static RunningServer start(Database database) {
        return start(database, ConveyorNode.Settings.local().withStatsInterval(Duration.ofMillis(200)));
    }

    public static RunningServer start(Database database, ConveyorNode.Settings settings) {
        try {
            return new RunningServer(ConveyorNode.start(database, settings, InProcessWorkers.NONE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String target() {
        return "127.0.0.1:" + node.grpcPort();
    }

    public int httpPort() {
        return node.httpPort();
    }

    public ConveyorNode node() {
        return node;
    }

    /** The server's own queue: tests use it to play the worker (claim, complete). */
    public QueueManager queues() {
        return node.queues();
    }

    public JobServiceGrpc.JobServiceBlockingStub jobs() {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public JobServiceGrpc.JobServiceBlockingStub jobsWithoutDeadline() {
        return JobServiceGrpc.newBlockingStub(channel);
    }

    public JobServiceGrpc.JobServiceStub jobsAsync() {
        return JobServiceGrpc.newStub(channel);
    }

    public QueueAdminServiceGrpc.QueueAdminServiceBlockingStub admin() {
        return QueueAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        node.close();
    }
}
