package dev.conveyor.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Paused queues accept submissions; the claim of a paused queue returns nothing. */
public final class QueuePauses {

    public void pause(Connection c, String queue, String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.PAUSE)) {
            ps.setString(1, queue);
            ps.setString(2, by);
            ps.executeUpdate();
        }
    }

    public void resume(Connection c, String queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.RESUME)) {
            ps.setString(1, queue);
            ps.executeUpdate();
        }
    }

    public boolean exists(Connection c, String queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.QUEUE_EXISTS)) {
            ps.setString(1, queue);
            ps.setString(2, queue);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    public boolean isPaused(Connection c, String queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.IS_PAUSED)) {
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
