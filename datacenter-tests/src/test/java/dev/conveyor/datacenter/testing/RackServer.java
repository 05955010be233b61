package dev.conveyor.datacenter.testing;

import dev.conveyor.core.QueueManager;
import dev.conveyor.family.FamilyContext;
import dev.conveyor.family.JobFamily;
import dev.conveyor.proto.v1.RackServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server on 127.0.0.1 serving the services every family brings ({@link JobFamily#services}),
 * as the queue server would, and a channel to it.
 */
public final class RackServer implements AutoCloseable {
    private final Server server;
    private final ManagedChannel channel;

    private RackServer(Server server) {
        this.server = server;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    public static RackServer start(QueueManager queue) {
        FamilyContext context = new FamilyContext(queue, queue.database(), new SimpleMeterRegistry());
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
        JobFamily.discover().forEach(family -> family.services(context).forEach(builder::addService));
        try {
            return new RackServer(builder.build().start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RackServiceGrpc.RackServiceBlockingStub racks() {
        return RackServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** {@code 127.0.0.1:PORT}, for the CLI's {@code --server}. */
    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
    }
}
