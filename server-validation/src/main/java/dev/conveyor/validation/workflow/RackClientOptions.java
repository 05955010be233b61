package dev.conveyor.validation.workflow;

import dev.conveyor.proto.v1.RackServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** Where the rack commands find the server, and how they print; the same options as the other commands. */
final class RackClientOptions {
    @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = "${env:CONVEYOR_SERVER:-localhost:7070}",
            description = "The Conveyor server (env CONVEYOR_SERVER; default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json (the API's messages in proto3 JSON).")
    String output;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up on a call after this many seconds (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    boolean json() {
        return "json".equals(output);
    }

    /** A channel for one command; the caller closes it. */
    ManagedChannel channel() {
        return Grpc.newChannelBuilder(server, InsecureChannelCredentials.create()).build();
    }

    RackServiceGrpc.RackServiceBlockingStub stub(ManagedChannel channel) {
        return RackServiceGrpc.newBlockingStub(channel).withDeadlineAfter(Math.max(1, timeoutSeconds), TimeUnit.SECONDS);
    }

    static void close(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
