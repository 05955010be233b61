package dev.conveyor.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes finished jobs older than the retention age, one small batch per transaction, with
 * their events, labels and dependency rows. Job families' tables reference {@code job(id)} with
 * {@code ON DELETE CASCADE}, so their rows go with the job.
 */
public final class RetentionPruner {

    public int pruneBatch(Connection c, Duration olderThan, int batchSize) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.SELECT_PRUNABLE)) {
            ps.setLong(1, olderThan.toNanos() / 1000);
            ps.setInt(2, batchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        for (String sql : List.of(JobSql.DELETE_EVENTS, JobSql.DELETE_LABELS, JobSql.DELETE_DEPENDENCIES,
                JobSql.DELETE_JOBS)) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.in(sql, ids.size()))) {
                Rows.bind(ps, 1, ids);
                ps.executeUpdate();
            }
        }
        return ids.size();
    }
}
