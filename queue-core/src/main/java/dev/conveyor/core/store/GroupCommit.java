package dev.conveyor.core.store;

import dev.conveyor.core.Audit;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.SubmitResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of concurrent single submissions: callers that submit one plain job each (no
 * parent, no dependencies, no family rows) share one transaction, so that a server taking many
 * SubmitJob calls at once pays one multi-row INSERT and one commit per group instead of per job.
 *
 * <p>The algorithm (no thread of its own; the callers do the work), under one lock: a caller
 * queues its job; while {@link #GROUPS_IN_FLIGHT} groups are not in flight and jobs are queued, a
 * waiting caller becomes the committer of the next group: it takes up to {@link #MAX_GROUP} queued
 * jobs (its own among them, unless an earlier group took it), writes and commits them outside the
 * lock, then answers each and wakes the waiters. A caller returns as soon as its job is answered;
 * every queued job belongs to a caller still waiting, and every end of a group wakes them, so a job
 * queued while two groups are in flight is taken by the next group. Thus the jobs queued while a
 * group commits form the next group, and at most two transactions (one committing, one being
 * written) are in flight.
 *
 * <p>One caller's failure never fails another's: when a statement of a group fails before its
 * commit (a duplicate idempotency key, a value the database refuses), the group is rolled back and
 * each of its callers submits its job again on its own thread, in a transaction of its own, by the
 * ordinary path ({@link Answer#ALONE}); there an idempotent repeat is deduplicated and a conflict
 * is that caller's own error. Only a failure of the commit itself, whose outcome is unknown, is
 * every member's answer, as it would have been for each alone. Deadlocks are retried whole by
 * {@link Transactions}.
 *
 * <p>Used only where the INSERT returns its ids in VALUES order ({@code RETURNING}, MariaDB 10.5+).
 */
public final class GroupCommit {
    /** Groups being written or committed at once. */
    static final int GROUPS_IN_FLIGHT = 2;
    /** Callers per group at most: bounds the statement's size (its text is cached per connection). */
    static final int MAX_GROUP = 255;

    /** What a queued caller is answered: its result, or that it must submit alone. */
    public sealed interface Answer {
        /** The group failed before its commit: submit the job in a transaction of its own. */
        Answer ALONE = new Alone();

        record Done(SubmitResult result) implements Answer {
        }

        record Alone() implements Answer {
        }
    }

    /** One caller's job and, for an audited view, its audit record; answered once, under the lock. */
    private static final class Pending {
        final NewJob job;
        final Audit audit;
        Answer answer;
        RuntimeException failure;

        Pending(NewJob job, Audit audit) {
            this.job = job;
            this.audit = audit;
        }

        boolean answered() {
            return answer != null || failure != null;
        }
    }

    private final Transactions tx;
    private final JobSubmitter submitter;
    private final AuditLog auditLog;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled at the end of every group. */
    private final Condition groupEnded = lock.newCondition();
    /** Guarded by {@link #lock}: the jobs not yet taken by a group, and the groups in flight. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;
    /** The statement text per group size, built once (index: rows). */
    private final String[] insertSql = new String[MAX_GROUP + 1];
    /** Counted by committers after each commit; read by metrics and tests. */
    private final AtomicLong groups = new AtomicLong();
    private final AtomicLong jobs = new AtomicLong();

    public GroupCommit(Transactions tx, JobSubmitter submitter, AuditLog auditLog) {
        this.tx = tx;
        this.submitter = submitter;
        this.auditLog = auditLog;
    }

    /** Whether {@code job} may join a group: a plain job, whose state no other row decides. */
    public static boolean accepts(NewJob job) {
        return job.parentId() == null && job.dependsOn().isEmpty();
    }

    /**
     * Submits a job in a group; blocks until the commit that holds it. {@link Answer#ALONE} asks the
     * caller to submit it on its own. Bad input is refused before the job joins a group.
     */
    public Answer submit(NewJob job, Audit audit) {
        submitter.validate(job);
        Pending mine = new Pending(job, audit);
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.answered()) {
                // An empty queue with this job unanswered: a group in flight holds it.
                if (inFlight < GROUPS_IN_FLIGHT && !queue.isEmpty()) {
                    List<Pending> group = new ArrayList<>(Math.min(queue.size(), MAX_GROUP));
                    for (Pending p; group.size() < MAX_GROUP && (p = queue.poll()) != null; ) {
                        group.add(p);
                    }
                    inFlight++;
                    lock.unlock();
                    // Should the commit end in an Error, its callers try alone rather than wait forever.
                    Runnable answers = () -> group.forEach(p -> p.answer = Answer.ALONE);
                    try {
                        answers = commit(group);
                    } finally {
                        lock.lock();
                        inFlight--;
                        answers.run();
                        groupEnded.signalAll();
                    }
                } else {
                    // A caller's thread is not interrupted away from a job a group may already hold.
                    groupEnded.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.answer;
    }

    /** Groups committed and jobs they held since start. */
    public long groupsCommitted() {
        return groups.get();
    }

    public long jobsGroupCommitted() {
        return jobs.get();
    }

    /**
     * Writes and commits one group, outside the lock; returns how to answer its callers, to be run
     * under the lock.
     */
    private Runnable commit(List<Pending> group) {
        boolean[] written = new boolean[1];
        List<SubmitResult> results;
        try {
            results = tx.inTransaction("submit", c -> {
                written[0] = false;
                List<SubmitResult> r = write(c, group);
                written[0] = true;
                return r;
            });
        } catch (RuntimeException e) {
            if (written[0]) {
                // The commit failed: whether it took effect is unknown, as for a caller alone.
                return () -> group.forEach(p -> p.failure = e);
            }
            return () -> group.forEach(p -> p.answer = Answer.ALONE);
        }
        groups.incrementAndGet();
        jobs.addAndGet(group.size());
        return () -> {
            for (int i = 0; i < group.size(); i++) {
                group.get(i).answer = new Answer.Done(results.get(i));
            }
        };
    }

    /** The group's rows: jobs (one statement), labels, concurrency keys, events, audit records. */
    private List<SubmitResult> write(Connection c, List<Pending> group) throws SQLException {
        int n = group.size();
        List<SubmitResult> results = new ArrayList<>(n);
        try (PreparedStatement ps = c.prepareStatement(insertSql(n))) {
            int p = 1;
            for (Pending pending : group) {
                NewJob job = pending.job;
                p = JobSubmitter.bindRow(ps, p, job, job.idempotencyKey() == null ? null : job.requestHash(),
                        JobSubmitter.Initial.unconstrained(job));
            }
            ps.execute();
            try (ResultSet rs = ps.getResultSet()) {
                for (Pending pending : group) {
                    if (!rs.next()) {
                        throw new IllegalStateException("the insert of " + n + " jobs returned fewer ids");
                    }
                    results.add(new SubmitResult(rs.getLong(1), JobSubmitter.Initial.unconstrained(pending.job)
                            .state(), false, Rows.instant(rs, "created_at"), Rows.instant(rs, "run_at")));
                }
            }
        }
        writeLabels(c, group, results);
        writeConcurrencyKeys(c, group);
        List<EventLog.StateChange> events = new ArrayList<>(n);
        List<AuditLog.Entry> audits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Pending pending = group.get(i);
            long id = results.get(i).jobId();
            events.add(JobSubmitter.submittedEvent(id, pending.job, JobSubmitter.Initial.unconstrained(pending.job)));
            if (pending.audit != null) {
                audits.add(new AuditLog.Entry(pending.audit, "job " + id, Audit.OK, null));
            }
        }
        EventLog.append(c, events);
        auditLog.appendAll(c, audits);
        return results;
    }

    private static void writeLabels(Connection c, List<Pending> group, List<SubmitResult> results)
            throws SQLException {
        if (group.stream().allMatch(p -> p.job.labels().isEmpty())) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT_LABEL)) {
            for (int i = 0; i < group.size(); i++) {
                for (Map.Entry<String, String> l : group.get(i).job.labels().entrySet()) {
                    ps.setLong(1, results.get(i).jobId());
                    ps.setString(2, l.getKey());
                    ps.setString(3, l.getValue());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * As sequential submissions would leave them: each key with the limit of its last job; in key
     * order, so that concurrent groups and batches lock the keys in one order.
     */
    private static void writeConcurrencyKeys(Connection c, List<Pending> group) throws SQLException {
        Map<String, Integer> limits = new TreeMap<>();
        for (Pending p : group) {
            if (p.job.concurrencyKey() != null) {
                limits.put(p.job.concurrencyKey(), p.job.concurrencyLimit());
            }
        }
        if (limits.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.UPSERT_CONCURRENCY_KEY)) {
            for (Map.Entry<String, Integer> l : limits.entrySet()) {
                ps.setString(1, l.getKey());
                ps.setInt(2, l.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private String insertSql(int rows) {
        String sql = insertSql[rows];
        if (sql == null) {
            // Racing committers build the same text; either may be kept.
            sql = JobSql.insertJobs(rows) + JobSql.RETURNING_ID_TIMES;
            insertSql[rows] = sql;
        }
        return sql;
    }
}
