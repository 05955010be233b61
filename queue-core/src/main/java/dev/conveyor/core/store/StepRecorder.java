package dev.conveyor.core.store;

import dev.conveyor.core.EventDraft;
import dev.conveyor.core.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A handler's steps go to the job's history only while its lease is current. */
public final class StepRecorder {

    public boolean record(Connection c, Lease lease, EventDraft event, String worker) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT_STEP_EVENT_FENCED)) {
            ps.setString(1, event.step());
            ps.setString(2, event.statusCode());
            ps.setString(3, event.command());
            ps.setString(4, event.message());
            ps.setString(5, worker);
            ps.setLong(6, lease.jobId());
            ps.setLong(7, lease.epoch());
            return ps.executeUpdate() == 1;
        }
    }
}
