package dev.conveyor.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The unpacked tarball as a user runs it: `bin/conveyor server` on the real database, the CLI against it. */
@ExtendWith(TestDatabase.class)
class TarballServerIT {
    private static Process server;
    private static Path log;
    private static String address;

    @BeforeAll
    static void startServer(TestDb db) throws Exception {
        Path home = Tarball.home();
        int port = LauncherIT.freePort();
        address = "127.0.0.1:" + port;
        log = Files.createDirectories(Path.of("target", "logs")).resolve("tarball-server.log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/conveyor").toString(), "server",
                "--bind", "127.0.0.1", "--grpc-port", String.valueOf(port), "--http-port", "0", "--no-workers",
                "--plaintext", "--migrate", "--db-url", db.jdbcUrl(), "--db-user", db.user())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", Tarball.testJavaHome());
        builder.environment().put("JAVA_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        builder.environment().remove("CONVEYOR_DB_PASSWORD");
        if (db.password() != null) {
            builder.environment().put("CONVEYOR_DB_PASSWORD", db.password());
        }
        server = builder.start();
        awaitServing(port);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void theCliSubmitsToAndListsFromTheTarballsServer() throws Exception {
        Tarball.Result submitted = Tarball.bin("conveyor", Map.of(), "submit", "--plaintext", "--server", address,
                "--queue", "tarball", "--type", "echo", "--payload", "from the tarball", "-o", "json");
        Matcher id = Pattern.compile("\"id\": \"?(\\d+)").matcher(submitted.out());
        assertThat(submitted.err()).isEmpty();
        assertThat(submitted.exitCode()).isZero();
        assertThat(id.find()).as("a job id in %s", submitted.out()).isTrue();

        Tarball.Result listed = Tarball.bin("conveyor", Map.of(), "list", "--plaintext", "--server", address,
                "-q", "tarball");

        assertThat(listed.err()).isEmpty();
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).containsPattern("(?m)^" + id.group(1) + "\\s+tarball\\s+echo\\s+READY");
    }

    @Test
    void theServerStartsWithoutJvmWarnings() throws Exception {
        List<String> lines = Files.readAllLines(log);

        assertThat(lines).isNotEmpty().noneMatch(line -> line.startsWith("WARNING:"));
    }

    private static void awaitServing(int port) {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create())
                .build();
        try {
            Conditions.await(Duration.ofSeconds(180), "the tarball's server serving (log: " + log.toAbsolutePath() + ")",
                    () -> {
                        if (!server.isAlive()) {
                            throw new AssertionError("server exited with " + server.exitValue() + "; log: "
                                    + log.toAbsolutePath());
                        }
                        try {
                            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                                    .check(HealthCheckRequest.getDefaultInstance()).getStatus()
                                    == HealthCheckResponse.ServingStatus.SERVING;
                        } catch (StatusRuntimeException e) {
                            return false;
                        }
                    });
        } finally {
            channel.shutdownNow();
        }
    }
}
