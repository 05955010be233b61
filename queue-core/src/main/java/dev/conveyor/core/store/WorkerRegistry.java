package dev.conveyor.core.store;

import dev.conveyor.core.WorkerInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The worker daemons' registry: each registers, heartbeats, and marks itself stopped. */
public final class WorkerRegistry {

    public void register(Connection c, WorkerInfo w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.REGISTER_WORKER)) {
            ps.setString(1, w.id());
            ps.setString(2, w.host());
            ps.setLong(3, w.pid());
            ps.setString(4, w.pools());
            ps.setInt(5, w.slots());
            ps.executeUpdate();
        }
    }

    public void heartbeat(Connection c, String id) throws SQLException {
        update(c, JobSql.HEARTBEAT_WORKER, id);
    }

    public void deregister(Connection c, String id) throws SQLException {
        update(c, JobSql.DEREGISTER_WORKER, id);
    }

    private static void update(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    public List<WorkerInfo> list(Connection c, Duration liveness) throws SQLException {
        List<WorkerInfo> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.LIST_WORKERS)) {
            ps.setLong(1, liveness.toNanos() / 1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new WorkerInfo(rs.getString("id"), rs.getString("host"), rs.getLong("pid"),
                            rs.getString("pools"), rs.getInt("slots"), Rows.instant(rs, "started_at"),
                            Rows.instant(rs, "heartbeat_at"), Rows.instant(rs, "stopped_at"),
                            rs.getBoolean("alive")));
                }
            }
        }
        return out;
    }
}
