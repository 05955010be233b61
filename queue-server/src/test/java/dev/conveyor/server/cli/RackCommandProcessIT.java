package dev.conveyor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.server.RunningServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code conveyor rack} as a script runs it: the exit codes docs/api.md lists, one line on stderr. */
@ExtendWith(TestDatabase.class)
class RackCommandProcessIT {
    private static RunningServer server;

    @BeforeAll
    static void start(TestDb db) {
        server = RunningServer.start(db.open());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aManifestTheServerRefusesExitsTwo(@TempDir Path dir) throws Exception {
        Path manifest = Files.writeString(dir.resolve("bad.yaml"), "rack_id: \"\"\nswitches: []\nservers: []\n");

        CliRun run = cli("rack", "validate", manifest.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
        // One line per problem, each naming its field: a technician fixes them all in one pass.
        assertThat(run.err()).startsWith("error: INVALID_ARGUMENT: rack manifest has 1 problem:\n")
                .contains("  rack_id: ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMissingManifestFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-rack.yaml");

        CliRun run = cli("rack", "validate", missing.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("error: manifest file not found: " + missing.toAbsolutePath() + "\n");
    }

    @Test
    void theStatusOfARackNeverValidatedExitsThree() {
        CliRun run = cli("rack", "status", "r404");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.err()).startsWith("error: NOT_FOUND: ");
        assertThat(run.err().lines()).hasSize(1);
    }

    private static CliRun cli(String... args) {
        return CliProcess.run(Stream.concat(Stream.of(args), Stream.of("--server", server.target(), "--plaintext"))
                .toArray(String[]::new));
    }
}
