package dev.conveyor.core.store;

import dev.conveyor.core.IllegalJobStateException;
import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** Operators' actions on one job: cancel and retry, each one short transaction under a row lock. */
public final class JobControl {

    public JobState cancel(Connection c, long id, String reason, String by) throws SQLException {
        JobState state = lock(c, id);
        String why = "cancelled" + (by != null ? " by " + by : "") + (reason != null && !reason.isBlank()
                ? ": " + reason : "");
        switch (state) {
            case WAITING, READY -> {
                Aftermath.finish(c, id, JobState.CANCELLED, why);
                EventLog.append(c, id, JobState.CANCELLED, why, null, 0);
                Aftermath.jobsEnded(c, Map.of(id, JobState.CANCELLED));
                return JobState.CANCELLED;
            }
            case RUNNING -> {
                try (PreparedStatement ps = c.prepareStatement(JobSql.REQUEST_CANCEL)) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                EventLog.append(c, id, JobState.RUNNING, "cancel requested" + why.substring("cancelled".length()),
                        null, 0);
                return JobState.RUNNING;
            }
            default -> throw new IllegalJobStateException(id, state, "cancel");
        }
    }

    public JobState retry(Connection c, long id, String by) throws SQLException {
        JobState state = lock(c, id);
        if (state != JobState.DEAD && state != JobState.CANCELLED) {
            throw new IllegalJobStateException(id, state, "retry");
        }
        boolean waiting = false;
        try (PreparedStatement ps = c.prepareStatement(JobSql.LOCK_DEPENDENCY_STATES_OF)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JobState dep = JobState.valueOf(rs.getString(2));
                    if (dep == JobState.DEAD || dep == JobState.CANCELLED) {
                        throw new IllegalJobStateException(id, state, "retry (its dependency job " + rs.getLong(1)
                                + " ended " + dep + "; retry that first)");
                    }
                    waiting |= dep != JobState.SUCCEEDED;
                }
            }
        }
        JobState next = waiting ? JobState.WAITING : JobState.READY;
        try (PreparedStatement ps = c.prepareStatement(JobSql.RESET_FOR_RETRY)) {
            ps.setString(1, next.name());
            ps.setLong(2, id);
            ps.executeUpdate();
        }
        EventLog.append(c, id, next, "retried" + (by != null ? " by " + by : "") + " with fresh attempts", null, 0);
        return next;
    }

    private static JobState lock(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.LOCK_FOR_CONTROL)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new JobNotFoundException(id);
                }
                return JobState.valueOf(rs.getString(1));
            }
        }
    }
}
