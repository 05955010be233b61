package dev.conveyor.datacenter.testing;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.dcsim.SimulatedRack;
import dev.conveyor.server.worker.WorkerMain;
import dev.conveyor.tor.job.TorStarterManager;
import dev.conveyor.tor.job.TorStarterFamily;
import dev.conveyor.validation.job.ServerValidationFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real worker daemon ({@code conveyor worker}, {@link WorkerMain}) in a JVM of its own, started
 * from the test class path, serving the datacenter queue with the families it finds by ServiceLoader,
 * and given the simulator's
 * credentials and certificate handed over as a worker gets them in production: a password file and
 * a CA file named by environment variables. Its output goes to {@code target/worker-logs/<name>.log}.
 */
public final class WorkerProcess implements AutoCloseable {
    /** Generous: JVMs start Hibernate slowly on a shared two-core machine. */
    private static final Duration STARTUP = Duration.ofSeconds(180);

    /** What the daemon logs, in one line, once its pools run. */
    private static final String READY = "serving queues [" + TorStarterManager.QUEUE + ":";

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static WorkerProcess start(String name, TestDb db, SimulatedRack sim) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "worker-logs"));
        Path log = dir.resolve(name + ".log");
        Path password = Files.writeString(dir.resolve(name + ".password"), sim.credentials().password());
        Path ca = Files.writeString(dir.resolve(name + "-ca.pem"), sim.certificatePem());
        String java = System.getenv().getOrDefault("CONVEYOR_TEST_JAVA",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--pool", TorStarterManager.QUEUE + ":8",
                "--lease", "10s"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        for (String prefix : List.of(TorStarterFamily.ENV_PREFIX, ServerValidationFamily.ENV_PREFIX)) {
            builder.environment().put(prefix + "_USERNAME", sim.credentials().username());
            builder.environment().put(prefix + "_PASSWORD_FILE", password.toAbsolutePath().toString());
            builder.environment().put(prefix + "_CA_FILE", ca.toAbsolutePath().toString());
            builder.environment().put(prefix + "_TIMEOUT_SECONDS", "5");
        }
        WorkerProcess worker = new WorkerProcess(builder.start(), log);
        try {
            Conditions.await(STARTUP, name + " ready (log: " + log.toAbsolutePath() + ")", worker::ready);
        } catch (RuntimeException | AssertionError e) {
            worker.process.destroyForcibly();
            throw e;
        }
        return worker;
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("worker exited with " + process.exitValue() + "; log: " + log.toAbsolutePath());
        }
        try {
            return Files.readString(log).contains(READY);
        } catch (IOException e) {
            return false;
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
