package dev.conveyor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code conveyor schema validate|migrate} straight against an empty database. */
@ExtendWith(TestDatabase.class)
class SchemaCommandIT {

    @Test
    void validateRefusesAnEmptyDatabaseUntilMigrateHasRun(TestDb db) {
        CliRun before = CliRun.of("schema", "validate", "--db-url", db.jdbcUrl(), "--db-user", db.user());
        CliRun migrate = CliRun.of("schema", "migrate", "--db-url", db.jdbcUrl(), "--db-user", db.user());
        CliRun after = CliRun.of("schema", "validate", "--db-url", db.jdbcUrl(), "--db-user", db.user());

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
}
