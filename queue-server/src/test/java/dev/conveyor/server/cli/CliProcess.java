package dev.conveyor.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code conveyor} in a JVM of its own, from the test class path, as a script runs it: its exit code
 * is the process's, and standard output and error are kept apart. Slower than {@link CliRun}; for
 * what only the process shows (System.exit, what reaches the terminal, a file it writes).
 */
final class CliProcess {
    /** Generous: a JVM starts on a shared two-core machine. */
    private static final long TIMEOUT_SECONDS = 120;

    private CliProcess() {
    }

    static CliRun run(String... args) {
        return run(null, args);
    }

    /** Runs with {@code stdin} as standard input (null: none), in the test's working directory. */
    static CliRun run(Path stdin, String... args) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "cli-process"));
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            String java = System.getenv().getOrDefault("CONVEYOR_TEST_JAVA",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    // The test class path holds two logback-test.xml; logback reports that on stdout.
                    "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                    "-cp", System.getProperty("java.class.path"), Conveyor.class.getName()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("CONVEYOR_") && !k.equals("CONVEYOR_TEST_JAVA"));
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("conveyor " + String.join(" ", args) + " still running after "
                        + TIMEOUT_SECONDS + " s");
            }
            return new CliRun(process.exitValue(), Files.readString(out), withoutJvmWarnings(Files.readString(err)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * The JVM's own warnings (JDK 24+ on grpc-netty's native library and protobuf's Unsafe) come
     * before main runs and are no part of what conveyor prints; flags to silence them would stop an
     * older {@code CONVEYOR_TEST_JAVA} from starting.
     */
    private static String withoutJvmWarnings(String err) {
        StringBuilder kept = new StringBuilder();
        err.lines().filter(line -> !line.startsWith("WARNING: ") && !line.isBlank())
                .forEach(line -> kept.append(line).append('\n'));
        return kept.toString();
    }
}
