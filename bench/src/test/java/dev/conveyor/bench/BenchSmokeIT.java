package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the harness's W1 at a tiny size, the limit and Conveyor (a real server process and a real
 * worker process from the queue-server jar), as CI does so the harness cannot rot. It asserts
 * that every job ran exactly once in every run, never how fast.
 */
@ExtendWith(TestDatabase.class)
class BenchSmokeIT {
    private static final int N = 300;
    private static final int ROUNDS = 2;

    @Test
    void w1RunsEveryJobExactlyOnceOnBothSystems(TestDb db, @TempDir Path out) throws IOException {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = Bench.commandLine();
        cli.setOut(new PrintWriter(stdout));
        cli.setErr(new PrintWriter(stderr));

        int exit = cli.execute("--db-url", loginUrl(db), "--workloads", "W1", "--rounds", Integer.toString(ROUNDS),
                "--n", Integer.toString(N), "--conveyor-jar", conveyorJar().toString(), "--out", out.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr).isZero();
        assertThat(stdout.toString()).contains("innodb_flush_log_at_trx_commit");
        List<String[]> medians = medianRows(out);
        assertThat(medians).extracting(r -> r[1] + " " + r[3]).contains(
                "limit W1 drain, first claim to last completion",
                "conveyor W1 drain, first claim to last completion",
                "conveyor W1 enqueue, 1 job per call (8 threads)");
        for (String[] row : medians) {
            String what = String.join(" ", row[1], row[2], row[3]);
            assertThat(Long.parseLong(row[8])).as("duplicates of %s", what).isZero();
            assertThat(Long.parseLong(row[9])).as("missing of %s", what).isZero();
            if (row[3].startsWith("W1 drain")) {
                assertThat(Long.parseLong(row[7])).as("jobs checked in %s", what).isEqualTo((long) N * ROUNDS);
            }
        }
    }

    /** The TestDb's server, logged in; the harness creates and drops databases of its own there. */
    private static String loginUrl(TestDb db) {
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user();
        return db.password() == null ? url : url + "&password=" + db.password();
    }

    private static Path conveyorJar() {
        Path jar = Path.of(System.getProperty("conveyor.jar", "../queue-server/target/conveyor.jar"));
        assertThat(jar).as("the conveyor jar, built by the queue-server module before this one").isRegularFile();
        return jar;
    }

    /** The CSV's "median" lines, split into unquoted fields (quoted fields may hold commas). */
    private static List<String[]> medianRows(Path out) throws IOException {
        Path csv;
        try (Stream<Path> files = Files.list(out)) {
            csv = files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow();
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.startsWith("median,")) {
                String[] fields = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = fields[i].replaceAll("^\"|\"$", "").replace("\"\"", "\"");
                }
                rows.add(fields);
            }
        }
        return rows;
    }
}
