package dev.conveyor.validation.workflow;

import dev.conveyor.family.ClientChannels;
import dev.conveyor.proto.v1.RackServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the rack commands find the server, and how they print; the same options as the other
 * commands. TLS and the bearer token come from the {@code conveyor} CLI's connection flags, which
 * it adds to these commands ({@link ClientChannels}).
 */
final class RackClientOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

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

    /** A channel for one command, with the CLI's credentials (plaintext outside the CLI); the caller closes it. */
    ManagedChannel channel() throws IOException {
        CommandSpec security = spec.mixins().get(ClientChannels.MIXIN);
        if (security != null && security.userObject() instanceof ClientChannels channels) {
            return channels.open(server);
        }
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
