package dev.conveyor.server.security;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.family.JobFamily;
import dev.conveyor.proto.v1.RackServiceGrpc;
import dev.conveyor.proto.v1.WorkerServiceGrpc;
import dev.conveyor.server.grpc.ConveyorServer;
import dev.conveyor.server.grpc.RequestParsing;
import dev.conveyor.validation.workflow.RackGrpcService;
import dev.conveyor.validation.workflow.RackWorkflow;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.util.MutableHandlerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real gRPC server (ConveyorServer with its services) behind {@link ServerSecurity}, on a free
 * port of 127.0.0.1, over a test database. Services that the queue server registers only with a
 * job family or a later wiring (RackService, WorkerService) are stood in for by their generated
 * base classes (UNIMPLEMENTED) in the fallback registry, so every RPC of the policy is reachable.
 */
final class SecureServer implements AutoCloseable {
    /** The identity per role that tests call with, and its token (the token is the name reversed). */
    static final Map<Role, String> NAMES = Map.of(Role.SUBMITTER, "sub", Role.TECHNICIAN, "tech",
            Role.OPERATOR, "op", Role.ADMIN, "adm");

    private final ConveyorServer server;
    private final QueueManager queues;

    private SecureServer(ConveyorServer server, QueueManager queues) {
        this.server = server;
        this.queues = queues;
    }

    static String token(Role role) {
        return "token-of-" + NAMES.get(role);
    }

    /** A token file with one identity per role, and {@code extraLines} (such as certificate mappings). */
    static Path tokenFile(Path dir, String... extraLines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Role role : Role.values()) {
            text.append(NAMES.get(role)).append(' ').append(role.label()).append(" sha256:")
                    .append(TokenFile.hash(token(role))).append('\n');
        }
        for (String line : extraLines) {
            text.append(line).append('\n');
        }
        return Files.writeString(dir.resolve("tokens"), text);
    }

    static SecureServer start(Database database, ServerSecurity.Settings settings) throws IOException {
        return start(database, settings, false);
    }

    /**
     * With {@code racks}, the real RackService (validations submitted as the caller) instead of its
     * stand-in: {@code database} must then hold the job families' tables ({@link #familyDatabase}).
     */
    static SecureServer start(Database database, ServerSecurity.Settings settings, boolean racks) throws IOException {
        QueueManager queues = new QueueManager(database);
        ServerSecurity security = ServerSecurity.load(settings);
        ConveyorServer.Settings api = ConveyorServer.Settings.defaults();
        MutableHandlerRegistry standIns = new MutableHandlerRegistry();
        standIns.addService(racks ? RequestParsing.strict(new RackGrpcService(new RackWorkflow(queues, 4),
                Caller.forFamilies())) : new RackServiceGrpc.RackServiceImplBase() { }.bindService());
        standIns.addService(new WorkerServiceGrpc.WorkerServiceImplBase() { });
        var builder = security.intercept(security.serverBuilder(new InetSocketAddress("127.0.0.1", 0)), queues)
                .fallbackHandlerRegistry(standIns);
        return new SecureServer(ConveyorServer.start(builder, queues, new SimpleMeterRegistry(), api), queues);
    }

    /** The test database with the job families' tables, as a server with every family opens it. */
    static Database familyDatabase(TestDb db) {
        var families = JobFamily.discover();
        return Database.open(db.config().withFamilies(JobFamily.allEntityClasses(families),
                JobFamily.allMigrationLocations(families)));
    }

    ManagedChannel channel(ChannelCredentials credentials) {
        return Grpc.newChannelBuilder("localhost:" + server.port(), credentials).build();
    }

    ManagedChannel channel(ClientSecurity security) throws IOException {
        return channel(security.credentials());
    }

    /** A plaintext channel with the token of {@code role}. */
    ManagedChannel plaintext(Role role) throws IOException {
        return channel(new ClientSecurity(true, null, null, null, token(role)));
    }

    QueueManager queues() {
        return queues;
    }

    @Override
    public void close() {
        server.close();
    }
}
