package dev.conveyor.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.SchemaMismatchException;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Startup accepts the schema the code expects and refuses any other, saying what differs. */
@ExtendWith(TestDatabase.class)
class SchemaGuardIT {
    private final TestDb db;

    SchemaGuardIT(TestDb db) {
        this.db = db;
    }

    /** Each test damages the schema its own way, so each starts from an empty database. */
    @BeforeEach
    void dropAllTables() {
        for (Object table : db.queryList(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", db.name())) {
            db.update("DROP TABLE `" + table + "`");
        }
    }

    @Test
    void openMigratesAFreshDatabaseAndValidatesIt() {
        try (Database database = Database.open(db.config())) {
            assertThat(database.isReachable()).isTrue();
        }
        assertThat(db.queryList("SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank"))
                .containsExactly("1", "2", "3");

        // Validation alone accepts what migration produced.
        try (Database database = Database.open(db.config().withMigrate(false))) {
            assertThat(database.isReachable()).isTrue();
        }
    }

    @Test
    void refusesASchemaWithAMissingColumnAndNamesIt() {
        Database.open(db.config()).close();
        db.update("ALTER TABLE job DROP COLUMN trace_parent");

        assertThatThrownBy(() -> Database.open(db.config().withMigrate(false)))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("trace_parent")
                .hasMessageContaining("job");
    }

    @Test
    void refusesAnAppliedMigrationWhoseChecksumChanged() {
        Database.open(db.config()).close();
        db.update("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");

        assertThatThrownBy(() -> Database.open(db.config().withMigrate(false)))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("version 1");
        // Migrating validates first: a changed history is never migrated over.
        assertThatThrownBy(() -> Database.open(db.config()))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void refusesToValidateADatabaseThatWasNeverMigrated() {
        assertThatThrownBy(() -> Database.open(db.config().withMigrate(false)))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("conveyor schema migrate");
    }

    @Test
    void detectsTheServerFamilyFromTheServerItself() throws SQLException {
        String version = (String) db.queryList("SELECT VERSION()").get(0);
        ServerFamily.Kind expected = version.toLowerCase().contains("mariadb")
                ? ServerFamily.Kind.MARIADB : ServerFamily.Kind.MYSQL;

        try (Connection c = db.newConnection()) {
            ServerFamily family = ServerFamily.detect(c);
            assertThat(family.kind()).isEqualTo(expected);
            assertThat(family.version()).isEqualTo(version);
            assertThat(version).contains(family.major() + "." + family.minor());
            family.requireSupported();
        }
        try (Database database = Database.open(db.config())) {
            assertThat(database.family().kind()).isEqualTo(expected);
        }
    }
}
