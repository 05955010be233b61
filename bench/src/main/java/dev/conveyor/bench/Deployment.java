package dev.conveyor.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Conveyor run's world: a fresh database, a {@code conveyor server} process on it (which
 * migrates the schema), a gRPC client, and the worker processes the run starts. Closing it stops
 * them all (workers gracefully) and drops the database, so runs never see each other's rows.
 */
final class Deployment implements AutoCloseable {
    static final String QUEUE = "bench";
    /** JVM start, schema migration or validation, Hibernate: slow on a busy machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Logger log = LoggerFactory.getLogger(Deployment.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final DatabaseServer server;
    private final ConveyorProcess.Launcher launcher;
    private final Processes processes;
    private final ConveyorDatabase database;
    private final ConveyorProcess conveyorServer;
    private final int grpcPort;
    private final ConveyorApi api;
    private final List<String> workerNames = new ArrayList<>();
    private final List<ConveyorProcess> workers = new ArrayList<>();

    private Deployment(DatabaseServer server, ConveyorProcess.Launcher launcher, Processes processes,
            ConveyorDatabase database, ConveyorProcess conveyorServer, int grpcPort) {
        this.server = server;
        this.launcher = launcher;
        this.processes = processes;
        this.database = database;
        this.conveyorServer = conveyorServer;
        this.grpcPort = grpcPort;
        this.api = new ConveyorApi(grpcPort);
    }

    /** Creates {@code name} afresh and returns once a server on it answers {@code /readyz}. */
    static Deployment start(DatabaseServer server, ConveyorProcess.Launcher launcher, Processes processes,
            String name) throws Exception {
        server.createDatabase(name);
        int grpcPort = freePort();
        int httpPort = freePort();
        ConveyorProcess conveyorServer = launcher.server(name, grpcPort, httpPort);
        try {
            Await.until("the Conveyor server " + conveyorServer + " to be ready", START_TIMEOUT,
                    conveyorServer::requireAlive, () -> ready(httpPort), () -> "its log: " + conveyorServer.logTail(5));
        } catch (Exception e) {
            conveyorServer.close();
            server.dropDatabase(name);
            throw e;
        }
        processes.add("server", conveyorServer.pid());
        log.info("Conveyor server up on database {}: {}", name, conveyorServer);
        return new Deployment(server, launcher, processes, new ConveyorDatabase(server, name), conveyorServer,
                grpcPort);
    }

    ConveyorDatabase db() {
        return database;
    }

    ConveyorApi api() {
        return api;
    }

    /**
     * Starts {@code conveyor worker --pool bench:8}, subscribed to this server's wake-ups, as
     * process {@code name}; returns once it has registered.
     */
    ConveyorProcess startWorker(String name) throws Exception {
        ConveyorProcess worker = launcher.worker(database.name(), name, QUEUE + ":" + BenchConfig.WORKER_SLOTS,
                "127.0.0.1:" + grpcPort);
        workers.add(worker);
        workerNames.add(name);
        Await.until("worker " + worker + " to register", START_TIMEOUT, worker::requireAlive,
                () -> database.workerId(worker.pid()).isPresent(), () -> "its log: " + worker.logTail(5));
        processes.add(name, worker.pid());
        log.info("worker up: {}", worker);
        return worker;
    }

    /** The lease owner of {@code worker}'s pool: its registry id and the queue. */
    String leaseOwner(ConveyorProcess worker) throws SQLException {
        return database.workerId(worker.pid()).orElseThrow(() -> new BenchException(worker + " is not registered"))
                + "/" + QUEUE;
    }

    /** Fails when the server or a worker that should be running has exited. */
    void requireAlive() {
        conveyorServer.requireAlive();
    }

    @Override
    public void close() throws Exception {
        try {
            api.close();
        } finally {
            workers.forEach(ConveyorProcess::close);
            workerNames.forEach(processes::remove);
            conveyorServer.close();
            processes.remove("server");
            server.dropDatabase(database.name());
        }
    }

    private static boolean ready(int httpPort) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/readyz")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
