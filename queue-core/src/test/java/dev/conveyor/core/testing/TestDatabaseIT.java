package dev.conveyor.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.conveyor.core.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The extension's promises: a database per class, dropped afterwards, and the helpers on it. */
@ExtendWith(TestDatabase.class)
class TestDatabaseIT {
    private static final List<String> probedDatabases = new CopyOnWriteArrayList<>();

    @Test
    void givesEachClassItsOwnDatabaseAndDropsItAfterTheClass(TestDb db) {
        probedDatabases.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(FirstProbe.class), selectClass(SecondProbe.class)).build(), listener);

        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getFailures()).as("probe failures").isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(probedDatabases).hasSize(2).doesNotHaveDuplicates().doesNotContain(db.name())
                .allSatisfy(name -> assertThat(name).matches("cv_[0-9a-f]{8}"));
        for (String name : probedDatabases) {
            assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?", name))
                    .as("database %s after its class", name).isZero();
        }
    }

    @Test
    void helpersWorkOnTheClassDatabase(TestDb db) throws Exception {
        assertThat(db.queryList("SELECT DATABASE()")).containsExactly(db.name());
        assertThat(db.config().migrate()).isTrue();
        assertThat(db.config().jdbcUrl()).isEqualTo(db.jdbcUrl()).contains(db.name());

        // Flyway refuses to migrate a non-empty schema without its history: migrate first.
        db.open();
        db.update("CREATE TABLE helper_probe (id BIGINT NOT NULL, name VARCHAR(16) NOT NULL)");
        assertThat(db.update("INSERT INTO helper_probe VALUES (?, ?), (?, ?)", 1L, "one", 2L, "two")).isEqualTo(2);
        assertThat(db.queryLong("SELECT COUNT(*) FROM helper_probe WHERE id > ?", 0)).isEqualTo(2);
        assertThat(db.queryList("SELECT name FROM helper_probe ORDER BY id")).containsExactly("one", "two");
        assertThat(db.queryRows("SELECT id, name FROM helper_probe WHERE id = ?", 2L))
                .containsExactly(Map.of("id", 2L, "name", "two"));
        try (Connection c = db.newConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@session.time_zone")) {
            rs.next();
            assertThat(rs.getString(1)).isIn("+00:00", "UTC");
        }
    }

    @Test
    void openSharesOneMigratedDatabaseAndOpenFreshMakesAnother(TestDb db) {
        Database shared = db.open();
        assertThat(db.open()).isSameAs(shared);
        assertThat(db.openFresh()).isNotSameAs(shared);
        assertThat(db.queryLong("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1")).isPositive();
    }

    @Nested
    class NestedClass {
        @Test
        void sharesTheEnclosingClassDatabase(TestDb nested) {
            assertThat(nested.queryList("SELECT DATABASE()")).containsExactly(nested.name());
            assertThat(nested.toString()).contains(nested.name());
        }
    }

    /** Run only through the launcher above; Surefire skips nested classes. */
    @ExtendWith(TestDatabase.class)
    static class FirstProbe {
        @Test
        void probe(TestDb db) {
            probe(db, "first");
        }

        /** Both probes create the same table: on a shared database the second would fail. */
        static void probe(TestDb db, String who) {
            db.update("CREATE TABLE probe (who VARCHAR(8) NOT NULL)");
            db.update("INSERT INTO probe VALUES (?)", who);
            assertThat(db.queryList("SELECT who FROM probe")).containsExactly(who);
            probedDatabases.add(db.name());
        }
    }

    @ExtendWith(TestDatabase.class)
    static class SecondProbe {
        @Test
        void probe(TestDb db) {
            FirstProbe.probe(db, "second");
        }
    }
}
