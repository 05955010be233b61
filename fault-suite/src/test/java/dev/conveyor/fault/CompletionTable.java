package dev.conveyor.fault;

import dev.conveyor.worker.JobContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed completions of {@value FaultyHandlers#LEDGERED} jobs: the handler inserts
 * {@code (job, attempt, lease epoch, worker)} in the transaction that completes its job, fenced
 * by its lease, so a row exists exactly when a completion committed. The table has no unique key
 * on the job on purpose: a job completed twice shows as two rows instead of being refused.
 */
final class CompletionTable {
    static final String NAME = "fault_completion";

    private static final String CREATE = """
            CREATE TABLE IF NOT EXISTS fault_completion (
                id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
                job_id      BIGINT       NOT NULL,
                attempt     INT          NOT NULL,
                lease_epoch BIGINT       NOT NULL,
                worker      VARCHAR(128) NOT NULL,
                recorded_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                KEY ix_fault_completion_job (job_id)
            ) ENGINE = InnoDB""";
    private static final String INSERT =
            "INSERT INTO fault_completion (job_id, attempt, lease_epoch, worker) VALUES (?, ?, ?, ?)";

    /** One committed completion. */
    record Row(long job, int attempt, long epoch, String worker) {
    }

    private CompletionTable() {
    }

    static void create(String jdbcUrl, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            s.execute(CREATE);
        }
    }

    /** Runs in the completing transaction (the handler's {@code TransactionalWork}). */
    static void insert(Connection connection, JobContext ctx) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            ps.setLong(1, ctx.jobId());
            ps.setInt(2, ctx.attempt());
            ps.setLong(3, ctx.leaseEpoch());
            ps.setString(4, ctx.worker());
            ps.executeUpdate();
        }
    }

    static List<Row> read(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT job_id, attempt, lease_epoch, worker FROM fault_completion")) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4)));
            }
        }
        return rows;
    }
}
