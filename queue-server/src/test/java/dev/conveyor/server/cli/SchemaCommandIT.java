package dev.conveyor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code conveyor schema validate|migrate} straight against an empty database. */
@ExtendWith(TestDatabase.class)
class SchemaCommandIT {

    @Test
    void validateRefusesAnEmptyDatabaseUntilMigrateHasRun(TestDb db, @TempDir Path dir) throws IOException {
        CliRun before = CliRun.of(schema("validate", db, dir));
        CliRun migrate = CliRun.of(schema("migrate", db, dir));
        CliRun after = CliRun.of(schema("validate", db, dir));

        assertThat(before.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(before.err()).startsWith("error: ").contains("schema").hasLineCount(1);
        assertThat(migrate.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(migrate.out()).startsWith("schema migrated and valid");
        assertThat(after.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(after.out()).startsWith("schema valid");
    }

    @Test
    void aMissingUrlIsAUsageError() {
        CliRun run = CliRun.of("schema", "validate", "--db-url", "");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--db-url");
    }

    /** The command's arguments; the embedded fallback's server has a password, handed over as a file. */
    private static String[] schema(String action, TestDb db, Path dir) throws IOException {
        List<String> args = new ArrayList<>(List.of("schema", action, "--db-url", db.jdbcUrl(), "--db-user", db.user()));
        if (db.password() != null) {
            Path file = Files.writeString(dir.resolve("db-password"), db.password());
            args.addAll(List.of("--db-password-file", file.toString()));
        }
        return args.toArray(String[]::new);
    }
}
