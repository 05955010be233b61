package dev.conveyor.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The tarball `mvn package` made, unpacked once per test JVM, and its scripts run as a user would. */
final class Tarball {
    private static Path home;

    private Tarball() {
    }

    /** The unpacked {@code conveyor-VERSION/} directory. */
    static synchronized Path home() throws IOException, InterruptedException {
        if (home == null) {
            Path tarball = Path.of(System.getProperty("conveyor.tarball"));
            Path into = Path.of("target", "unpacked").toAbsolutePath();
            run(List.of("rm", "-rf", into.toString()), Map.of());
            Files.createDirectories(into);
            Result untar = run(List.of("tar", "-xzf", tarball.toString(), "-C", into.toString()), Map.of());
            if (untar.exitCode() != 0) {
                throw new AssertionError("cannot unpack " + tarball + ": " + untar.err());
            }
            try (var dirs = Files.list(into)) {
                home = dirs.filter(d -> d.getFileName().toString().startsWith("conveyor-")).findFirst()
                        .orElseThrow(() -> new AssertionError(tarball + " has no conveyor-VERSION/ directory"));
            }
        }
        return home;
    }

    /** The JDK the tests run on, as JAVA_HOME for the scripts. */
    static String testJavaHome() {
        String java = System.getenv("CONVEYOR_TEST_JAVA");
        return java == null ? System.getProperty("java.home") : Path.of(java).getParent().getParent().toString();
    }

    /** Runs {@code bin/PROGRAM ARGS} with JAVA_HOME the tests' JDK, the cache in target/, plus {@code env}. */
    static Result bin(String program, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("bin").resolve(program).toString());
        command.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(Map.of("JAVA_HOME", testJavaHome(),
                "XDG_CACHE_HOME", Path.of("target", "cache").toAbsolutePath().toString()));
        all.putAll(env);
        return run(command, all);
    }

    static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile("dist-out", ".txt");
        Path err = Files.createTempFile("dist-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("CONVEYOR_CDS");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(command + " ran over 120 s");
        }
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    record Result(int exitCode, String out, String err) {
    }
}
