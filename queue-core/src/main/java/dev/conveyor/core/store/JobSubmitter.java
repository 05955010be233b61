package dev.conveyor.core.store;

import dev.conveyor.core.IdempotencyConflictException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobExtension;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.SubmitLimits;
import dev.conveyor.core.SubmitResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts jobs, inside a transaction its caller owns (one job, a batch, or a workflow).
 *
 * <p>Idempotency: the insert is tried first; a duplicate {@code (queue, idempotency_key)} is a
 * statement-level error that leaves the transaction usable, and the existing job is then read:
 * the same request digest returns it ({@code deduplicated}), another digest is a conflict.
 *
 * <p>Initial state: WAITING while a dependency has not SUCCEEDED or a parent awaits children,
 * CANCELLED when a dependency already ended DEAD or CANCELLED, READY otherwise. Dependencies are
 * share-locked until commit so that one ending meanwhile sees this job (see {@link Aftermath}).
 */
public final class JobSubmitter {
    private final SubmitLimits limits;

    public JobSubmitter(SubmitLimits limits) {
        this.limits = limits;
    }

    public SubmitResult submit(Connection c, NewJob job, JobExtension extension) throws SQLException {
        List<EventLog.StateChange> events = new ArrayList<>(1);
        SubmitResult r = submit(c, job, extension, events);
        EventLog.append(c, events);
        return r;
    }

    /**
     * Submits one job of a larger transaction; its "submitted" event goes to {@code events}, for the
     * caller to write with the others in one multi-row INSERT (see {@link #appendEvents}).
     */
    public SubmitResult submit(Connection c, NewJob job, JobExtension extension, List<EventLog.StateChange> events)
            throws SQLException {
        if (job.payload().length > limits.maxPayloadBytes()) {
            throw new InvalidRequestException("payload", "must be at most " + limits.maxPayloadBytes()
                    + " bytes, was " + job.payload().length);
        }
        byte[] hash = job.requestHash();
        Initial initial = initialState(c, job);
        long id;
        try {
            id = insert(c, job, hash, initial);
        } catch (SQLException e) {
            if (Transactions.isDuplicateKey(e) && job.idempotencyKey() != null) {
                return existing(c, job, hash);
            }
            throw e;
        }
        if (!job.dependsOn().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT_DEPENDENCY)) {
                for (long dep : job.dependsOn()) {
                    ps.setLong(1, id);
                    ps.setLong(2, dep);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!job.labels().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT_LABEL)) {
                for (Map.Entry<String, String> l : job.labels().entrySet()) {
                    ps.setLong(1, id);
                    ps.setString(2, l.getKey());
                    ps.setString(3, l.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (job.concurrencyKey() != null) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.UPSERT_CONCURRENCY_KEY)) {
                ps.setString(1, job.concurrencyKey());
                ps.setInt(2, job.concurrencyLimit());
                ps.executeUpdate();
            }
        }
        if (extension != null) {
            extension.insert(c, id);
        }
        events.add(new EventLog.StateChange(id, initial.state(), initial.reason() != null ? initial.reason()
                : "submitted" + (job.createdBy() != null ? " by " + job.createdBy() : ""), null, 0));
        return new SubmitResult(id, initial.state(), false);
    }

    /** Writes the events collected by {@link #submit(Connection, NewJob, JobExtension, List)}. */
    public static void appendEvents(Connection c, List<EventLog.StateChange> events) throws SQLException {
        EventLog.append(c, events);
    }

    private record Initial(JobState state, String reason) {
    }

    private Initial initialState(Connection c, NewJob job) throws SQLException {
        if (job.parentId() != null) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.LOCK_JOB_SHARED)) {
                ps.setLong(1, job.parentId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new InvalidRequestException("parent_id", "job " + job.parentId() + " does not exist");
                    }
                }
            }
        }
        if (job.dependsOn().isEmpty()) {
            return new Initial(job.awaitChildren() ? JobState.WAITING : JobState.READY, null);
        }
        Map<Long, JobState> states = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.LOCK_DEPENDENCY_STATES,
                job.dependsOn().size()))) {
            Rows.bind(ps, 1, job.dependsOn());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getLong(1), JobState.valueOf(rs.getString(2)));
                }
            }
        }
        for (long dep : job.dependsOn()) {
            JobState s = states.get(dep);
            if (s == null) {
                throw new InvalidRequestException("depends_on", "job " + dep + " does not exist");
            }
            if (s == JobState.DEAD || s == JobState.CANCELLED) {
                return new Initial(JobState.CANCELLED, "cancelled: dependency job " + dep + " ended " + s);
            }
        }
        boolean allDone = states.values().stream().allMatch(s -> s == JobState.SUCCEEDED);
        return new Initial(allDone && !job.awaitChildren() ? JobState.READY : JobState.WAITING, null);
    }

    private static long insert(Connection c, NewJob job, byte[] hash, Initial initial) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT_JOB, Statement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            ps.setString(i++, job.queue());
            ps.setString(i++, job.type());
            ps.setString(i++, initial.state().name());
            ps.setInt(i++, job.priority());
            ps.setObject(i++, Rows.utc(job.runAt()));
            ps.setLong(i++, job.delay() == null ? 0 : job.delay().toNanos() / 1000);
            ps.setInt(i++, job.maxAttempts());
            ps.setString(i++, job.idempotencyKey());
            ps.setBytes(i++, job.idempotencyKey() == null ? null : hash);
            ps.setBytes(i++, job.payload());
            ps.setString(i++, job.contentType());
            if (job.parentId() == null) {
                ps.setNull(i++, Types.BIGINT);
            } else {
                ps.setLong(i++, job.parentId());
            }
            ps.setBoolean(i++, job.awaitChildren());
            ps.setString(i++, job.concurrencyKey());
            ps.setString(i++, Rows.labelsJson(job.labels()));
            ps.setString(i++, job.traceParent());
            ps.setString(i++, job.createdBy());
            ps.setString(i++, initial.reason());
            ps.setString(i, initial.state().name());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static SubmitResult existing(Connection c, NewJob job, byte[] hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.FIND_BY_IDEMPOTENCY_KEY)) {
            ps.setString(1, job.queue());
            ps.setString(2, job.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    // The row that collided was pruned or rolled back meanwhile; let the caller retry.
                    throw new SQLException("idempotency key vanished during lookup", "40001", 1213);
                }
                long id = rs.getLong(1);
                if (!Arrays.equals(hash, rs.getBytes(3))) {
                    throw new IdempotencyConflictException(job.queue(), job.idempotencyKey(), id);
                }
                return new SubmitResult(id, JobState.valueOf(rs.getString(2)), true);
            }
        }
    }
}
