package dev.conveyor.core.store;

import dev.conveyor.core.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Appends state changes to {@code job_event}, in the transaction that makes them. */
public final class EventLog {
    private EventLog() {
    }

    /** One state change to record; built by the store's classes only. */
    public record StateChange(long jobId, JobState state, String message, String worker, int attempt) {
    }

    static void append(Connection c, long jobId, JobState state, String message, String worker, int attempt)
            throws SQLException {
        append(c, List.of(new StateChange(jobId, state, message, worker, attempt)));
    }

    /** One round trip for the whole list: the driver rewrites the batch into a multi-row INSERT. */
    static void append(Connection c, List<StateChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT_STATE_EVENT)) {
            for (StateChange s : changes) {
                ps.setLong(1, s.jobId());
                ps.setString(2, s.state().name());
                ps.setString(3, clip(s.message()));
                ps.setString(4, s.worker());
                ps.setInt(5, s.attempt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static String clip(String s) {
        return s == null || s.length() <= 8192 ? s : s.substring(0, 8191) + "…";
    }
}
