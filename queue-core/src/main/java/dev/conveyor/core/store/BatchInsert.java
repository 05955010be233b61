package dev.conveyor.core.store;

import dev.conveyor.core.IdempotencyConflictException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.SubmitResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch of plain jobs (no parent, no dependencies) in a few statements instead of two per job:
 * one SELECT for the batch's idempotency keys, multi-row INSERTs of the new jobs, one batched
 * INSERT of their labels, and the caller's one multi-row INSERT of their events.
 *
 * <p>Idempotency, as for one job at a time ({@link JobSubmitter}): a key already stored with the
 * same request digest answers with the stored job ({@code deduplicated}); with another digest the
 * batch fails with {@link IdempotencyConflictException}. Keys are scoped to the submitting identity
 * ({@code created_by}), as in {@link JobSubmitter}. A key repeated inside the batch answers with
 * its first occurrence's job for the same request; with another request the batch is refused
 * before anything is written ({@link InvalidRequestException} naming both positions). A key committed by a concurrent submission
 * between the lookup and the insert makes the multi-row INSERT fail as a whole (duplicate key, a
 * statement-level error that leaves the transaction usable); the jobs not yet inserted then go
 * through {@link JobSubmitter} one by one, whose insert-then-read handles exactly that race.
 *
 * <p>Ids: a multi-row INSERT's ids are consecutive only with {@code innodb_autoinc_lock_mode} 0 or
 * 1 ("simple inserts" take their whole range under a mutex); with 2 (MySQL 8's default) another
 * statement's rows may be interleaved. So the ids come from {@code RETURNING} where the server has
 * it (MariaDB 10.5+, in the order of the VALUES list); on MySQL from the generated keys only when
 * the lock mode guarantees consecutive values; otherwise jobs are inserted one by one.
 */
final class BatchInsert {
    /**
     * Payload bytes per INSERT statement at most, well below {@code max_allowed_packet} (16 MiB by
     * default on MariaDB, 64 MiB on MySQL); rows per statement are bounded by the batch size.
     */
    static final int MAX_PAYLOAD_BYTES_PER_STATEMENT = 4 * 1024 * 1024;

    /** How the ids of a multi-row INSERT are learned. */
    enum IdSource { RETURNING, CONSECUTIVE_KEYS, ONE_BY_ONE }

    private final JobSubmitter submitter;
    private final boolean returning;
    /**
     * Decided at the first batch from the server's lock mode; written by whichever submitting
     * thread gets there first (every thread computes the same value), read by all.
     */
    private volatile IdSource idSource;

    BatchInsert(JobSubmitter submitter, boolean returning) {
        this.submitter = submitter;
        this.returning = returning;
    }

    private record Stored(long id, JobState state, byte[] hash) {
    }

    /** An idempotency key in its scope: the queue and the submitting identity (null: none). */
    private record QueueKey(String queue, String createdBy, String key) {
        static QueueKey of(NewJob job) {
            return new QueueKey(job.queue(), job.createdBy(), job.idempotencyKey());
        }
    }

    List<SubmitResult> submitAll(Connection c, List<NewJob> jobs, List<EventLog.StateChange> events)
            throws SQLException {
        refuseRepeatsWithAnotherRequest(jobs);
        boolean plain = jobs.stream().allMatch(j -> j.dependsOn().isEmpty() && j.parentId() == null);
        if (!plain || jobs.size() == 1 || idSource(c) == IdSource.ONE_BY_ONE) {
            return oneByOne(c, jobs, 0, new SubmitResult[jobs.size()], events);
        }
        int n = jobs.size();
        SubmitResult[] results = new SubmitResult[n];
        byte[][] hashes = new byte[n][];
        Map<QueueKey, Stored> stored = lookUp(c, jobs);
        Map<QueueKey, Integer> firstInBatch = new HashMap<>();
        int[] repeatOf = new int[n];
        Arrays.fill(repeatOf, -1);
        List<Integer> fresh = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            NewJob job = jobs.get(i);
            submitter.validate(job);
            hashes[i] = job.idempotencyKey() == null ? null : job.requestHash();
            if (job.idempotencyKey() != null) {
                QueueKey qk = QueueKey.of(job);
                Stored s = stored.get(qk);
                if (s != null) {
                    if (!Arrays.equals(hashes[i], s.hash())) {
                        throw new IdempotencyConflictException(job.queue(), job.idempotencyKey(), s.id());
                    }
                    results[i] = new SubmitResult(s.id(), s.state(), true);
                    continue;
                }
                Integer first = firstInBatch.putIfAbsent(qk, i);
                if (first != null) {
                    repeatOf[i] = first; // the same request: refuseRepeatsWithAnotherRequest checked it
                    continue;
                }
            }
            fresh.add(i);
        }
        int done = insertFresh(c, jobs, hashes, fresh, results, events);
        if (done < fresh.size()) {
            // A concurrent submission committed one of our keys: finish with the race-proof path.
            for (int k = done; k < fresh.size(); k++) {
                int i = fresh.get(k);
                results[i] = submitter.submit(c, jobs.get(i), null, events);
            }
        }
        for (int i = 0; i < n; i++) {
            if (repeatOf[i] >= 0) {
                SubmitResult first = results[repeatOf[i]];
                results[i] = new SubmitResult(first.jobId(), first.state(), true);
            }
        }
        return List.of(results);
    }

    /**
     * A key repeated inside the batch with another request is the batch's own mistake, refused
     * before anything is written: reported against the earlier job's position, not against the id
     * the earlier job would have had (an id that the refusal's rollback would leave naming nothing).
     */
    private static void refuseRepeatsWithAnotherRequest(List<NewJob> jobs) {
        Map<QueueKey, Integer> first = new HashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            NewJob job = jobs.get(i);
            if (job.idempotencyKey() == null) {
                continue;
            }
            Integer earlier = first.putIfAbsent(QueueKey.of(job), i);
            if (earlier != null && !Arrays.equals(job.requestHash(), jobs.get(earlier).requestHash())) {
                throw new InvalidRequestException("jobs[" + i + "].idempotency_key", "repeats the key of jobs["
                        + earlier + "] with a different request");
            }
        }
    }

    private List<SubmitResult> oneByOne(Connection c, List<NewJob> jobs, int from, SubmitResult[] results,
            List<EventLog.StateChange> events) throws SQLException {
        for (int i = from; i < jobs.size(); i++) {
            results[i] = submitter.submit(c, jobs.get(i), null, events);
        }
        return List.of(results);
    }

    /** A queue and a submitting identity: the scope of a batch's keys. */
    private record Scope(String queue, String createdBy) {
    }

    /**
     * The submitting identities' stored jobs among the batch's keys, one SELECT per queue and
     * identity (a batch usually has one of each).
     */
    private static Map<QueueKey, Stored> lookUp(Connection c, List<NewJob> jobs) throws SQLException {
        Map<Scope, List<String>> keysByScope = new LinkedHashMap<>();
        for (NewJob j : jobs) {
            if (j.idempotencyKey() != null) {
                keysByScope.computeIfAbsent(new Scope(j.queue(), j.createdBy()), q -> new ArrayList<>())
                        .add(j.idempotencyKey());
            }
        }
        Map<QueueKey, Stored> stored = new HashMap<>();
        for (Map.Entry<Scope, List<String>> e : keysByScope.entrySet()) {
            List<String> keys = e.getValue();
            Scope scope = e.getKey();
            try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.FIND_BY_IDEMPOTENCY_KEYS, keys.size()))) {
                ps.setString(1, scope.queue());
                ps.setString(2, scope.createdBy());
                for (int k = 0; k < keys.size(); k++) {
                    ps.setString(k + 3, keys.get(k));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.put(new QueueKey(scope.queue(), scope.createdBy(), rs.getString(1)),
                                new Stored(rs.getLong(2), JobState.valueOf(rs.getString(3)), rs.getBytes(4)));
                    }
                }
            }
        }
        return stored;
    }

    /**
     * Inserts the fresh jobs in multi-row statements, with their labels, concurrency keys and
     * events. Returns how many were inserted: fewer than all when a statement hit a duplicate key
     * (that statement's rows are rolled back by the server; earlier statements' rows stay).
     */
    private int insertFresh(Connection c, List<NewJob> jobs, byte[][] hashes, List<Integer> fresh,
            SubmitResult[] results, List<EventLog.StateChange> events) throws SQLException {
        int done = 0;
        while (done < fresh.size()) {
            int end = done;
            long bytes = 0;
            do {
                bytes += jobs.get(fresh.get(end)).payload().length;
                end++;
            } while (end < fresh.size() && bytes + jobs.get(fresh.get(end)).payload().length
                    <= MAX_PAYLOAD_BYTES_PER_STATEMENT);
            List<Integer> chunk = fresh.subList(done, end);
            try {
                insertChunk(c, jobs, hashes, chunk, results);
            } catch (SQLException e) {
                if (Transactions.isDuplicateKey(e)) {
                    break;
                }
                throw e;
            }
            done = end;
        }
        List<Integer> inserted = fresh.subList(0, done);
        if (inserted.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT_LABEL)) {
            boolean any = false;
            for (int i : inserted) {
                for (Map.Entry<String, String> l : jobs.get(i).labels().entrySet()) {
                    ps.setLong(1, results[i].jobId());
                    ps.setString(2, l.getKey());
                    ps.setString(3, l.getValue());
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
        // Sequential submissions leave each key with the limit of its last job; in key order, so
        // that concurrent batches lock the keys in one order.
        Map<String, Integer> limits = new TreeMap<>();
        for (int i : inserted) {
            NewJob job = jobs.get(i);
            if (job.concurrencyKey() != null) {
                limits.put(job.concurrencyKey(), job.concurrencyLimit());
            }
        }
        if (!limits.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.UPSERT_CONCURRENCY_KEY)) {
                for (Map.Entry<String, Integer> l : limits.entrySet()) {
                    ps.setString(1, l.getKey());
                    ps.setInt(2, l.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        for (int i : inserted) {
            NewJob job = jobs.get(i);
            events.add(JobSubmitter.submittedEvent(results[i].jobId(), job, JobSubmitter.Initial.unconstrained(job)));
        }
        return done;
    }

    private void insertChunk(Connection c, List<NewJob> jobs, byte[][] hashes, List<Integer> chunk,
            SubmitResult[] results) throws SQLException {
        String sql = JobSql.insertJobs(chunk.size());
        boolean useReturning = idSource == IdSource.RETURNING;
        try (PreparedStatement ps = useReturning ? c.prepareStatement(sql + JobSql.RETURNING_ID_TIMES)
                : c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            int p = 1;
            for (int i : chunk) {
                p = JobSubmitter.bindRow(ps, p, jobs.get(i), hashes[i], JobSubmitter.Initial.unconstrained(jobs.get(i)));
            }
            ps.execute();
            try (ResultSet rs = useReturning ? ps.getResultSet() : ps.getGeneratedKeys()) {
                for (int i : chunk) {
                    if (!rs.next()) {
                        throw new IllegalStateException("the insert of " + chunk.size() + " jobs returned fewer ids");
                    }
                    results[i] = new SubmitResult(rs.getLong(1), JobSubmitter.Initial.unconstrained(jobs.get(i)).state(),
                            false);
                }
            }
        }
    }

    private IdSource idSource(Connection c) throws SQLException {
        IdSource s = idSource;
        if (s == null) {
            if (returning) {
                s = IdSource.RETURNING;
            } else {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(JobSql.AUTOINC_LOCK_MODE)) {
                    rs.next();
                    s = rs.getInt(1) <= 1 ? IdSource.CONSECUTIVE_KEYS : IdSource.ONE_BY_ONE;
                }
            }
            idSource = s;
        }
        return s;
    }
}
