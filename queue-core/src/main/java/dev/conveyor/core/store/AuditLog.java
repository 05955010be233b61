package dev.conveyor.core.store;

import dev.conveyor.core.Audit;
import dev.conveyor.core.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Writes and reads {@code audit_event}; an allowed change's record goes in the change's transaction. */
public final class AuditLog {
    private static final String INSERT = """
            INSERT INTO audit_event (at, actor, roles, action, target, outcome, detail, remote)
            VALUES (NOW(6), ?, ?, ?, ?, ?, ?, ?)
            """;
    private static final String LIST = """
            SELECT id, at, actor, roles, action, target, outcome, detail, remote FROM audit_event
            WHERE id < ? AND (? IS NULL OR actor = ?)
            ORDER BY id DESC LIMIT ?
            """;

    /**
     * Retention: the oldest records past the age, a bounded batch per statement. The range is the
     * oldest end of {@code ix_audit_at}, far from where new records are appended, so pruning does
     * not hold up the calls being audited.
     */
    private static final String PRUNE = """
            DELETE FROM audit_event WHERE at < TIMESTAMPADD(MICROSECOND, -?, NOW(6)) ORDER BY at LIMIT ?
            """;

    /** Deletes up to {@code limit} records older than now − {@code olderThan}; returns how many. */
    public int prune(Connection c, Duration olderThan, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PRUNE)) {
            ps.setLong(1, olderThan.toNanos() / 1000);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }

    /** One record to append. */
    public record Entry(Audit audit, String target, String outcome, String detail) {
    }

    public void append(Connection c, Audit audit, String target, String outcome, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, new Entry(audit, target, outcome, detail));
            ps.executeUpdate();
        }
    }

    /** Several records in one round trip (the driver rewrites the batch into one multi-row INSERT). */
    void appendAll(Connection c, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Entry e : entries) {
                bind(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, Entry e) throws SQLException {
        String target = e.target();
        ps.setString(1, e.audit().actor());
        ps.setString(2, e.audit().roles());
        ps.setString(3, e.audit().action());
        ps.setString(4, target == null || target.length() <= 255 ? target : target.substring(0, 254) + "…");
        ps.setString(5, e.outcome());
        ps.setString(6, EventLog.clip(e.detail()));
        ps.setString(7, e.audit().remote());
    }

    /** Newest first, before {@code beforeId} (use {@link Long#MAX_VALUE} for the first page). */
    public List<AuditRecord> list(Connection c, String actor, long beforeId, int limit) throws SQLException {
        List<AuditRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LIST)) {
            ps.setLong(1, beforeId);
            ps.setString(2, actor);
            ps.setString(3, actor);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditRecord(rs.getLong("id"), Rows.instant(rs, "at"), rs.getString("actor"),
                            rs.getString("roles"), rs.getString("action"), rs.getString("target"),
                            rs.getString("outcome"), rs.getString("detail"), rs.getString("remote")));
                }
            }
        }
        return out;
    }
}
