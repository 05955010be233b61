package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The harness's exactly-once check finds what it must: a job run twice, a job never finished, one never run. */
@ExtendWith(TestDatabase.class)
class ExactlyOnceCheckIT {

    @BeforeAll
    static void schema(TestDb db) {
        db.open();
        db.update("""
                CREATE TABLE job_execution_log (
                    job_id BIGINT NOT NULL, attempt INT NOT NULL, worker VARCHAR(128) NOT NULL,
                    recorded_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (job_id, attempt))""");
        for (int id = 1; id <= 5; id++) {
            String state = id == 4 ? "RUNNING" : "SUCCEEDED";
            db.update("INSERT INTO job (id, queue, type, state, run_at, max_attempts, created_at) "
                    + "VALUES (?, 'bench', 'record', ?, NOW(6), 5, NOW(6))", id, state);
        }
        // Job 1 ran once, job 2 twice (two attempts committed), job 3 once; job 4 is unfinished;
        // job 5 SUCCEEDED without an execution.
        for (int[] run : new int[][] {{1, 1}, {2, 1}, {2, 2}, {3, 1}}) {
            db.update("INSERT INTO job_execution_log (job_id, attempt, worker) VALUES (?, ?, 'w')", run[0], run[1]);
        }
        for (int id = 1; id <= 5; id++) {
            db.update("INSERT INTO job_event (job_id, at, kind, state, attempt) VALUES (?, NOW(6), 'STATE', "
                    + "'SUCCEEDED', 1)", id == 4 ? 1 : id);
        }
    }

    @Test
    void countsDuplicatesAndMissingFromTheExecutionLog(TestDb db) throws Exception {
        Tally tally = database(db).tally(new JobSet("bench", "record", 0), 6, true);

        assertThat(tally).isEqualTo(new Tally(6, 1, 3));
    }

    @Test
    void countsDuplicatesAndMissingFromSucceededEvents(TestDb db) throws Exception {
        Tally tally = database(db).tally(new JobSet("bench", "record", 0), 5, false);

        assertThat(tally.duplicates()).as("job 1 has two SUCCEEDED events").isEqualTo(1);
        assertThat(tally.missing()).as("job 4 is RUNNING").isEqualTo(1);
    }

    private static ConveyorDatabase database(TestDb db) {
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user();
        return new ConveyorDatabase(DatabaseServer.parse(db.password() == null ? url : url + "&password="
                + db.password(), null), db.name());
    }
}
