package dev.conveyor.worker;

import dev.conveyor.core.TransactionalWork;
import dev.conveyor.core.testing.TestDb;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

/**
 * A table where test handlers record each execution in the transaction that completes it: a row
 * exists exactly when that execution's completion committed.
 */
final class ExecutionLog {
    private final TestDb db;

    ExecutionLog(TestDb db) {
        this.db = db;
        db.update("""
                CREATE TABLE IF NOT EXISTS test_execution (
                    job_id BIGINT NOT NULL, attempt INT NOT NULL, worker VARCHAR(128) NOT NULL,
                    PRIMARY KEY (job_id, attempt))""");
    }

    /** The completion's work: one row for this execution. */
    static TransactionalWork record(JobContext ctx) {
        return connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO test_execution (job_id, attempt, worker) VALUES (?, ?, ?)")) {
                ps.setLong(1, ctx.jobId());
                ps.setInt(2, ctx.attempt());
                ps.setString(3, ctx.worker());
                ps.executeUpdate();
            }
        };
    }

    long rows(long jobId) {
        return db.queryLong("SELECT COUNT(*) FROM test_execution WHERE job_id = ?", jobId);
    }

    /** Job ids of the given jobs recorded more than once; empty when each was recorded at most once. */
    List<Object> recordedTwice(String queue) {
        return db.queryList("""
                SELECT e.job_id FROM test_execution e JOIN job j ON j.id = e.job_id
                WHERE j.queue = ? GROUP BY e.job_id HAVING COUNT(*) > 1""", queue);
    }

    long recorded(String queue) {
        return db.queryLong("""
                SELECT COUNT(DISTINCT e.job_id) FROM test_execution e JOIN job j ON j.id = e.job_id
                WHERE j.queue = ?""", queue);
    }

    List<Map<String, Object>> rowsOf(long jobId) {
        return db.queryRows("SELECT attempt, worker FROM test_execution WHERE job_id = ? ORDER BY attempt", jobId);
    }
}
