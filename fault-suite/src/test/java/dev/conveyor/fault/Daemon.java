package dev.conveyor.fault;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.WorkerInfo;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.server.Families;
import dev.conveyor.server.worker.WorkerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker daemon ({@code conveyor worker}) in a JVM of its own, from the test class path (so
 * the suite's own handler types are there too); output in {@code target/fault-logs/<name>.log}.
 */
final class Daemon implements AutoCloseable {
    /** Several JVMs start Hibernate at once on a shared two-core machine. */
    static final Duration STARTUP = Duration.ofSeconds(180);

    private final String name;
    private final Process process;
    private final Path log;
    private String workerId;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts a daemon against {@code jdbcUrl}; see {@link #awaitRegistered}. */
    static Daemon launch(String name, String jdbcUrl, String user, String password, String... flags)
            throws IOException {
        return launch(name, List.of(), jdbcUrl, user, password, flags);
    }

    /** As {@link #launch(String, String, String, String, String...)}, with JVM options such as {@code -Dfault.ledger.dir=…}. */
    static Daemon launch(String name, List<String> jvmOptions, String jdbcUrl, String user, String password,
            String... flags) throws IOException {
        // As in production, the schema (with every job family's tables) is migrated before daemons
        // start: a daemon only validates it.
        try (Database migrated = Database.open(Families.withFamilies(DatabaseConfig.of(jdbcUrl, user, password)))) {
            migrated.isReachable();
        }
        String java = System.getenv().getOrDefault("CONVEYOR_TEST_JAVA",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                "--db-url", jdbcUrl, "--db-user", user));
        command.addAll(List.of(flags));
        Path log = Files.createDirectories(Path.of("target", "fault-logs")).resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("CONVEYOR_DB_PASSWORD");
        if (password != null) {
            builder.environment().put("CONVEYOR_DB_PASSWORD", password);
        }
        return new Daemon(name, builder.start(), log);
    }

    /** Waits until the daemon is in the worker registry (its pools claim by then). */
    Daemon awaitRegistered(QueueManager queues) {
        Conditions.await(STARTUP, name + " registered (log: " + log.toAbsolutePath() + ")", () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; log: " + log.toAbsolutePath());
            }
            workerId = queues.workers().stream().filter(w -> w.pid() == process.pid()).map(WorkerInfo::id)
                    .findFirst().orElse(null);
            return workerId != null;
        });
        return this;
    }

    /** Whether the daemon has registered by now; does not wait. */
    boolean registered(QueueManager queues) {
        if (workerId == null) {
            workerId = queues.workers().stream().filter(w -> w.pid() == process.pid()).map(WorkerInfo::id)
                    .findFirst().orElse(null);
        }
        return workerId != null;
    }

    /** The lease owner of this daemon's pool for {@code queue}. */
    String owner(String queue) {
        return workerId + "/" + queue;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no drain, no deregistration, leases left behind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived SIGKILL");
        }
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    /** SIGSTOP: the whole process freezes, its sockets open, as a VM paused by its host or a long GC. */
    void stop() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #stop()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    Path log() {
        return log;
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                resume(); // a stopped process cannot act on SIGTERM
            } catch (IOException | AssertionError e) {
                // it ended meanwhile
            }
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
