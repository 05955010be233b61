package dev.conveyor.core.store;

import dev.conveyor.core.IdempotencyConflictException;
import dev.conveyor.core.IllegalJobStateException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobExtension;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.SubmitLimits;
import dev.conveyor.core.SubmitResult;
import dev.conveyor.core.db.ServerFamily;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts jobs, inside a transaction its caller owns (one job, a batch, or a workflow).
 *
 * <p>Idempotency: keys belong to the submitting identity ({@code created_by}; jobs without one share
 * one scope). The insert is tried first; a duplicate {@code (queue, created_by, idempotency_key)} is
 * a statement-level error that leaves the transaction usable, and that identity's existing job is
 * then read: the same request digest returns it ({@code deduplicated}), another digest is a
 * conflict. Another identity's job under the same key is never read, returned or named.
 *
 * <p>Initial state: WAITING while a dependency has not SUCCEEDED or a parent awaits children,
 * CANCELLED when a dependency already ended DEAD or CANCELLED, READY otherwise. Dependencies are
 * share-locked until commit so that one ending meanwhile sees this job (see {@link Aftermath}).
 * A child's parent must be WAITING for its children (else {@link IllegalJobStateException}), and
 * is share-locked the same way.
 */
public final class JobSubmitter {
    private final SubmitLimits limits;
    private final boolean returning;
    private final BatchInsert batches;

    public JobSubmitter(SubmitLimits limits, ServerFamily family) {
        this.limits = limits;
        this.returning = family.supportsInsertReturning();
        this.batches = new BatchInsert(this, returning);
    }

    /**
     * Submits one job on its own. The result carries the stored {@code created_at} and {@code
     * run_at} of a new job, so that the caller can answer without reading the job again: MariaDB
     * returns them with the insert; on MySQL they are read in the same transaction.
     */
    public SubmitResult submit(Connection c, NewJob job, JobExtension extension) throws SQLException {
        List<EventLog.StateChange> events = new ArrayList<>(1);
        SubmitResult r = submit(c, job, extension, events);
        endTransaction(c, events);
        if (!r.deduplicated() && !r.hasStoredTimes()) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.JOB_TIMES)) {
                ps.setLong(1, r.jobId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    r = new SubmitResult(r.jobId(), r.state(), false, Rows.instant(rs, "created_at"),
                            Rows.instant(rs, "run_at"));
                }
            }
        }
        return r;
    }

    /**
     * Submits a batch (of at most {@link dev.conveyor.core.JobRules#MAX_BATCH_SIZE} jobs) inside
     * the caller's transaction, with as few statements as its jobs allow: see {@link BatchInsert}.
     * Results in request order; the "submitted" events go to {@code events}.
     */
    public List<SubmitResult> submitAll(Connection c, List<NewJob> jobs, List<EventLog.StateChange> events)
            throws SQLException {
        return batches.submitAll(c, jobs, events);
    }

    /**
     * Submits one job of a larger transaction; its "submitted" event goes to {@code events}, for the
     * caller to write with the others in one multi-row INSERT (see {@link #endTransaction}).
     */
    public SubmitResult submit(Connection c, NewJob job, JobExtension extension, List<EventLog.StateChange> events)
            throws SQLException {
        validate(job);
        // The digest (SHA-256 over the request) is needed only to compare a repeat under a key.
        byte[] hash = job.idempotencyKey() == null ? null : job.requestHash();
        Initial initial;
        try {
            initial = initialState(c, job);
        } catch (IllegalJobStateException e) {
            // A repeat of a child accepted before its parent was released is answered with that
            // child, as any repeat is; only a new child is refused.
            SubmitResult prior = job.idempotencyKey() == null ? null : find(c, job, hash);
            if (prior == null) {
                throw e;
            }
            return prior;
        }
        SubmitResult inserted;
        try {
            inserted = insert(c, job, hash, initial);
        } catch (SQLException e) {
            if (Transactions.isDuplicateKey(e) && job.idempotencyKey() != null) {
                return existing(c, job, hash);
            }
            throw e;
        }
        long id = inserted.jobId();
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
        events.add(submittedEvent(id, job, initial));
        return inserted;
    }

    /** The rules a job is checked against before any statement runs; bad input changes nothing. */
    void validate(NewJob job) {
        if (job.payload().length > limits.maxPayloadBytes()) {
            throw new InvalidRequestException("payload", "must be at most " + limits.maxPayloadBytes()
                    + " bytes, was " + job.payload().length);
        }
    }

    static EventLog.StateChange submittedEvent(long id, NewJob job, Initial initial) {
        return new EventLog.StateChange(id, initial.state(), initial.reason() != null ? initial.reason()
                : "submitted" + (job.createdBy() != null ? " by " + job.createdBy() : ""), null, 0);
    }

    /**
     * Ends a submission's transaction: writes the events collected by {@link #submit(Connection,
     * NewJob, JobExtension, List)}, then runs the end of a job's life ({@link Aftermath}) for the
     * jobs born ended (CANCELLED, their dependency having ended), as for any job that ends: a
     * parent whose remaining children were all born ended is released. It runs once the whole
     * transaction's jobs are in, so that a workflow's later children still find their parent
     * waiting.
     */
    public static void endTransaction(Connection c, List<EventLog.StateChange> events) throws SQLException {
        EventLog.append(c, events);
        Map<Long, JobState> bornEnded = new LinkedHashMap<>();
        for (EventLog.StateChange e : events) {
            if (e.state().isTerminal()) {
                bornEnded.put(e.jobId(), e.state());
            }
        }
        if (!bornEnded.isEmpty()) {
            Aftermath.jobsEnded(c, bornEnded);
        }
    }

    record Initial(JobState state, String reason) {
        /** A job without parent or dependencies: no lock or read decides its state. */
        static Initial unconstrained(NewJob job) {
            return new Initial(job.awaitChildren() ? JobState.WAITING : JobState.READY, null);
        }
    }

    private Initial initialState(Connection c, NewJob job) throws SQLException {
        if (job.parentId() != null) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.LOCK_PARENT)) {
                ps.setLong(1, job.parentId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new InvalidRequestException("parent_id", "job " + job.parentId() + " does not exist");
                    }
                    // A parent released (or never awaiting children) would not wait for this child.
                    JobState parent = JobState.valueOf(rs.getString(1));
                    if (!rs.getBoolean(2)) {
                        throw new IllegalJobStateException(job.parentId(), parent,
                                "add a child to (it does not await children)");
                    }
                    if (parent != JobState.WAITING) {
                        throw new IllegalJobStateException(job.parentId(), parent,
                                "add a child to (it no longer waits for children)");
                    }
                }
            }
        }
        if (job.dependsOn().isEmpty()) {
            return Initial.unconstrained(job);
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

    private SubmitResult insert(Connection c, NewJob job, byte[] hash, Initial initial) throws SQLException {
        if (returning) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT_JOB + JobSql.RETURNING_ID_TIMES)) {
                bindRow(ps, 1, job, hash, initial);
                ps.execute();
                try (ResultSet rs = ps.getResultSet()) {
                    rs.next();
                    return new SubmitResult(rs.getLong(1), initial.state(), false, Rows.instant(rs, "created_at"),
                            Rows.instant(rs, "run_at"));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT_JOB, Statement.RETURN_GENERATED_KEYS)) {
            bindRow(ps, 1, job, hash, initial);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new SubmitResult(keys.getLong(1), initial.state(), false);
            }
        }
    }

    /** Binds one row of {@link JobSql#INSERT_JOB}'s VALUES from parameter {@code from}; returns the next index. */
    static int bindRow(PreparedStatement ps, int from, NewJob job, byte[] hash, Initial initial) throws SQLException {
        int i = from;
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
        ps.setString(i++, initial.state().name());
        return i;
    }

    private static SubmitResult existing(Connection c, NewJob job, byte[] hash) throws SQLException {
        SubmitResult found = find(c, job, hash);
        if (found == null) {
            // The row that collided was pruned or rolled back meanwhile; let the caller retry.
            throw new SQLException("idempotency key vanished during lookup", "40001", 1213);
        }
        return found;
    }

    /** The job stored under the job's idempotency key, null when there is none. */
    private static SubmitResult find(Connection c, NewJob job, byte[] hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.FIND_BY_IDEMPOTENCY_KEY)) {
            ps.setString(1, job.queue());
            ps.setString(2, job.createdBy());
            ps.setString(3, job.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
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
