package dev.conveyor.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Column ↔ value conversions shared by the store's classes. DATETIME(6) columns hold UTC. */
final class Rows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private Rows() {
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    private static final java.time.format.DateTimeFormatter MICROS =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /**
     * A time as a DATETIME(6) literal in UTC. Bound as text on purpose: through Connector/J a
     * MariaDB server reports version "5.5.5-…", and the driver then drops the fraction of every
     * temporal parameter, as it would for MySQL 5.5.
     */
    static String utc(Instant i) {
        return i == null ? null : MICROS.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static String labelsJson(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("labels cannot be written as JSON", e);
        }
    }

    static Map<String, String> labels(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return Map.copyOf(JSON.readValue(json, LABELS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored labels are not valid JSON", e);
        }
    }

    static void bind(PreparedStatement ps, int from, List<Long> ids) throws SQLException {
        for (int i = 0; i < ids.size(); i++) {
            ps.setLong(from + i, ids.get(i));
        }
    }

    static JobSnapshot snapshot(ResultSet rs) throws SQLException {
        return new JobSnapshot(
                rs.getLong("id"),
                rs.getString("queue"),
                rs.getString("type"),
                JobState.valueOf(rs.getString("state")),
                rs.getInt("priority"),
                instant(rs, "run_at"),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                rs.getString("lease_owner"),
                rs.getLong("lease_epoch"),
                instant(rs, "lease_expires_at"),
                rs.getBoolean("cancel_requested"),
                rs.getString("idempotency_key"),
                rs.getBytes("payload"),
                rs.getString("content_type"),
                rs.getBytes("result"),
                rs.getString("last_error"),
                nullableLong(rs, "parent_id"),
                rs.getString("concurrency_key"),
                labels(rs.getString("labels")),
                rs.getString("trace_parent"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    static JobEventRecord event(ResultSet rs) throws SQLException {
        String state = rs.getString("state");
        return new JobEventRecord(
                rs.getLong("id"),
                rs.getLong("job_id"),
                nullableLong(rs, "parent_id"),
                instant(rs, "at"),
                rs.getString("kind"),
                state == null ? null : JobState.valueOf(state),
                rs.getString("step"),
                rs.getString("status_code"),
                rs.getString("command"),
                rs.getString("message"),
                rs.getString("worker"),
                rs.getInt("attempt"));
    }

}
