package dev.conveyor.core.store;

import dev.conveyor.core.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Returns the jobs of dead or stalled workers: RUNNING rows whose lease expired become READY at
 * once (the lost attempt counts), DEAD when that was the last attempt, CANCELLED when a cancel
 * had been requested. Small SKIP LOCKED batches, so any number of managers may reap at once.
 * The epoch is left alone: the next claim raises it, which fences the stalled worker out.
 */
public final class ExpiredLeases {

    public int reap(Connection c, int max) throws SQLException {
        record Expired(long id, int attempt, int maxAttempts, boolean cancel, String owner) {
        }
        List<Expired> expired = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.SELECT_EXPIRED)) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    expired.add(new Expired(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getBoolean(4),
                            rs.getString(5)));
                }
            }
        }
        Map<Long, JobState> ended = new LinkedHashMap<>();
        List<EventLog.StateChange> events = new ArrayList<>();
        for (Expired e : expired) {
            String lapse = "lease of " + e.owner() + " expired on attempt " + e.attempt() + " of " + e.maxAttempts();
            if (e.cancel()) {
                Aftermath.finish(c, e.id(), JobState.CANCELLED, "cancelled; " + lapse);
                ended.put(e.id(), JobState.CANCELLED);
                events.add(new EventLog.StateChange(e.id(), JobState.CANCELLED, lapse, null, e.attempt()));
            } else if (e.attempt() >= e.maxAttempts()) {
                Aftermath.finish(c, e.id(), JobState.DEAD, lapse + ", no attempts left");
                ended.put(e.id(), JobState.DEAD);
                events.add(new EventLog.StateChange(e.id(), JobState.DEAD, lapse + ", no attempts left", null,
                        e.attempt()));
            } else {
                try (PreparedStatement ps = c.prepareStatement(JobSql.RESCHEDULE)) {
                    ps.setLong(1, Duration.ZERO.toNanos());
                    ps.setString(2, lapse);
                    ps.setInt(3, 0);
                    ps.setLong(4, e.id());
                    ps.executeUpdate();
                }
                events.add(new EventLog.StateChange(e.id(), JobState.READY, lapse + ", returned to the queue", null,
                        e.attempt()));
            }
        }
        EventLog.append(c, events);
        if (!ended.isEmpty()) {
            Aftermath.jobsEnded(c, ended);
        }
        return expired.size();
    }
}
