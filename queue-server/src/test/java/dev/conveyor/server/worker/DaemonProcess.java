package dev.conveyor.server.worker;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.WorkerInfo;
import dev.conveyor.core.db.Database;
import dev.conveyor.server.Families;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A worker daemon in a JVM of its own, started from the test class path; its output goes to
 * {@code target/daemon-logs/<name>.log}.
 */
final class DaemonProcess implements AutoCloseable {
    /** Generous: several JVMs start Hibernate at once on a shared two-core machine. */
    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final String name;
    private final Process process;
    private final Path log;
    /** Set once the daemon is seen in the registry. */
    private String workerId;

    private DaemonProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts a daemon on {@code db} with the given worker flags and waits until it has registered. */
    static DaemonProcess start(String name, TestDb db, QueueManager queueManager, String... flags) throws IOException {
        return launch(name, db, flags).awaitRegistered(queueManager);
    }

    /** Starts a daemon on {@code db} with the given worker flags; see {@link #awaitRegistered}. */
    static DaemonProcess launch(String name, TestDb db, String... flags) throws IOException {
        // As in production, the schema (with every job family's tables) is migrated before daemons
        // start: a daemon only validates it.
        try (Database migrated = Database.open(Families.withFamilies(db.config()))) {
            migrated.isReachable();
        }
        String java = System.getenv().getOrDefault("CONVEYOR_TEST_JAVA",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m",
                // Quick to start and light on a shared machine; the daemons under test do little work.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                WorkerMain.class.getName(), "--db-url", db.jdbcUrl(), "--db-user", db.user()));
        command.addAll(List.of(flags));
        Path logDir = Files.createDirectories(Path.of("target", "daemon-logs"));
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove(WorkerCommand.PASSWORD_ENV);
        if (db.password() != null) {
            builder.environment().put(WorkerCommand.PASSWORD_ENV, db.password());
        }
        return new DaemonProcess(name, builder.start(), log);
    }

    /** Waits until the daemon has registered itself (its pools claim by then); kills it on failure. */
    DaemonProcess awaitRegistered(QueueManager queueManager) {
        try {
            Conditions.await(STARTUP, name + " registered (log: " + log.toAbsolutePath() + ")", () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + "; log: "
                            + log.toAbsolutePath());
                }
                workerId = registration(queueManager).map(WorkerInfo::id).orElse(null);
                return workerId != null;
            });
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        return this;
    }

    /** This process's entry in the worker registry, found by pid. */
    Optional<WorkerInfo> registration(QueueManager queueManager) {
        return queueManager.workers().stream().filter(w -> w.pid() == process.pid()).findFirst();
    }

    /** The lease owner of this daemon's pool for {@code queue}. */
    String owner(String queue) {
        return workerId + "/" + queue;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** Waits for the process to end; its exit code. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + "; log: " + log.toAbsolutePath());
        }
        return process.exitValue();
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
