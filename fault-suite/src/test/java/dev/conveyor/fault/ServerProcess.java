package dev.conveyor.fault;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.server.cli.Conveyor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code conveyor server} in a JVM of its own on a fixed gRPC port of 127.0.0.1, plaintext, without workers. */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private ServerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts the server and waits until its health service says SERVING. */
    static ServerProcess start(String name, int grpcPort, String jdbcUrl, String user, String password)
            throws IOException {
        String java = System.getenv().getOrDefault("CONVEYOR_TEST_JAVA",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Conveyor.class.getName(), "server",
                "--bind", "127.0.0.1", "--grpc-port", String.valueOf(grpcPort), "--http-port", "0", "--no-workers",
                "--plaintext",
                "--migrate", "--db-url", jdbcUrl, "--db-user", user));
        Path log = Files.createDirectories(Path.of("target", "fault-logs")).resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("CONVEYOR_DB_PASSWORD");
        if (password != null) {
            builder.environment().put("CONVEYOR_DB_PASSWORD", password);
        }
        ServerProcess server = new ServerProcess(builder.start(), log, grpcPort);
        server.awaitServing();
        return server;
    }

    private void awaitServing() {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create())
                .build();
        try {
            Conditions.await(Daemon.STARTUP, "server serving (log: " + log.toAbsolutePath() + ")", () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("server exited with " + process.exitValue() + "; log: "
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

    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("server survived SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
