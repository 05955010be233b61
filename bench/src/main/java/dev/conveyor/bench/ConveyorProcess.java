package dev.conveyor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@code conveyor server} or {@code conveyor worker} process started from the executable jar, as
 * an operator would start it; its output goes to a log file. The database password reaches it in
 * {@code CONVEYOR_DB_PASSWORD}, never as a flag; settings that older builds lack go in their
 * environment variables, which those builds ignore.
 */
final class ConveyorProcess implements AutoCloseable {
    /** A worker drains its pools within its shutdown timeout (30 s by default); a little more. */
    private static final long STOP_SECONDS = 40;
    /**
     * Processes started and not yet stopped. When the harness itself is stopped (Ctrl-C), a
     * shutdown hook kills them, so no server or worker outlives the run.
     */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bench-stop-children")
                .unstarted(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    /**
     * How to start Conveyor processes against one database server.
     *
     * @param plaintextFlag whether this jar's server wants {@code --plaintext} to run without TLS
     *                      (builds with transport security do; see {@link #probe})
     */
    record Launcher(Path java, Path jar, DatabaseServer server, Path logDir, boolean plaintextFlag) {

        /**
         * The benchmark measures capacity: the per-identity submission rate limit (500 jobs/s by
         * default) would otherwise be what W1's enqueue measures.
         */
        static final String SUBMIT_RATE = "1000000";

        /** Asks the jar's {@code server --help} which flags it has, so one harness drives older and newer builds. */
        static Launcher probe(Path java, Path jar, DatabaseServer server, Path logDir) throws InterruptedException {
            try {
                Process help = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "server", "--help")
                        .redirectErrorStream(true).start();
                String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                help.waitFor();
                return new Launcher(java, jar, server, logDir, text.contains("--plaintext"));
            } catch (IOException e) {
                throw new BenchException("cannot run " + jar + ": " + e.getMessage(), e);
            }
        }

        ConveyorProcess server(String database, int grpcPort, int httpPort) {
            List<String> args = new ArrayList<>(List.of("server", "--bind", "127.0.0.1",
                    "--grpc-port", Integer.toString(grpcPort), "--http-port", Integer.toString(httpPort),
                    "--no-workers", "--migrate"));
            if (plaintextFlag) {
                args.add("--plaintext");
            }
            args.addAll(dbArgs(database));
            return start("server-" + database, args, Map.of("CONVEYOR_SUBMIT_RATE", SUBMIT_RATE));
        }

        /** A worker that also subscribes to the wake-ups of the server at {@code wakeupServer} (host:port). */
        ConveyorProcess worker(String database, String name, String pool, String wakeupServer) {
            List<String> args = new ArrayList<>(List.of("worker", "--pool", pool));
            args.addAll(dbArgs(database));
            // The server runs --plaintext: so does the wake-up channel (older builds ignore the variable).
            return start(name + "-" + database, args, Map.of("CONVEYOR_WAKEUP_SERVERS", wakeupServer,
                    "CONVEYOR_PLAINTEXT", "true"));
        }

        private List<String> dbArgs(String database) {
            List<String> args = new ArrayList<>(List.of("--db-url", server.urlFor(database)));
            if (server.user() != null) {
                args.addAll(List.of("--db-user", server.user()));
            }
            return args;
        }

        private ConveyorProcess start(String name, List<String> args, Map<String, String> environment) {
            List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", jar.toString()));
            command.addAll(args);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            if (server.password() != null) {
                builder.environment().put("CONVEYOR_DB_PASSWORD", server.password());
            }
            try {
                Process process = builder.start();
                RUNNING.add(process);
                return new ConveyorProcess(name, process, log);
            } catch (IOException e) {
                throw new BenchException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
            }
        }
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ConveyorProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    long pid() {
        return process.pid();
    }

    /** Fails with the end of the process's log when it has exited. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new BenchException(name + " exited with " + process.exitValue() + "; the end of " + log + ":\n"
                    + logTail(30));
        }
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        RUNNING.remove(process);
    }

    /** SIGTERM (a graceful stop), then SIGKILL if it has not exited in time. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(process);
        }
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
