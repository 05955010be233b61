package dev.conveyor.core.store;

import java.util.Collections;

/**
 * Every hand-written statement of the queue's hot path, in one place, to be reviewed like code.
 *
 * <p>Rules every statement here keeps:
 * <ul>
 *   <li>Times come from the database: {@code NOW(6)} in a UTC session, never a host clock.</li>
 *   <li>A worker's write carries its lease: {@code WHERE id = ? AND lease_epoch = ? AND
 *       state = 'RUNNING'}. Zero rows updated means the lease was lost.</li>
 *   <li>Rows of the polled set are touched by primary key after they are locked, so the claim
 *       index is read in its own order and SKIP LOCKED claimers do not collide.</li>
 *   <li>{@code %s} marks an IN list, filled by {@link #in(String, int)}.</li>
 * </ul>
 */
final class JobSql {
    private JobSql() {
    }

    /** Fills the {@code %s} of {@code sql} with {@code n} placeholders. */
    static String in(String sql, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("an IN list needs at least one element");
        }
        return sql.formatted(String.join(",", Collections.nCopies(n, "?")));
    }

    static final String NOW = "SELECT NOW(6)";

    // ---- submission

    /** The columns a submission writes; {@link #JOB_ROW} holds one row's values, in this order. */
    private static final String INSERT_JOB_INTO = """
            INSERT INTO job (queue, type, state, priority, run_at, attempt, max_attempts,
                             idempotency_key, request_hash, payload, content_type, parent_id,
                             await_children, concurrency_key, labels, trace_parent, created_by,
                             created_at, last_error, finished_at)
            VALUES """;

    /** run_at: the absolute time given, else the database's now plus the delay (0 by default). */
    private static final String JOB_ROW = """
            (?, ?, ?, ?, COALESCE(?, TIMESTAMPADD(MICROSECOND, ?, NOW(6))), 0, ?,
             ?, ?, ?, ?, ?,
             ?, ?, ?, ?, ?,
             NOW(6), ?, IF(? IN ('CANCELLED'), NOW(6), NULL))""";

    /** Placeholders per row of {@link #JOB_ROW}. */
    static final int JOB_ROW_PARAMETERS = 19;

    static final String INSERT_JOB = INSERT_JOB_INTO + JOB_ROW;

    /**
     * What the submitter answers with, read back by the insert itself where the server can
     * (MariaDB 10.5+): {@code RETURNING} lists the rows in the order of the VALUES list.
     */
    static final String RETURNING_ID_TIMES = " RETURNING id, created_at, run_at";

    /** The stored times of a job just inserted, where the insert cannot return them (MySQL). */
    static final String JOB_TIMES = "SELECT created_at, run_at FROM job WHERE id = ?";

    /** A multi-row INSERT of {@code rows} jobs. */
    static String insertJobs(int rows) {
        return INSERT_JOB_INTO + String.join(",", Collections.nCopies(rows, JOB_ROW));
    }

    /*
     * Idempotency keys are scoped to the submitting identity: unique on (queue, idempotency_scope,
     * idempotency_key), where idempotency_scope is the stored COALESCE(created_by, '') (V3). A
     * lookup binds the submitter's created_by to COALESCE(?, '') the same way, so it finds only
     * that identity's jobs and never answers with, or conflicts with, another identity's.
     */

    /** Every stored job of one identity in {@code queue} among the {@code %s} keys: one lookup for a batch. */
    static final String FIND_BY_IDEMPOTENCY_KEYS = """
            SELECT idempotency_key, id, state, request_hash FROM job
            WHERE queue = ? AND idempotency_scope = COALESCE(?, '') AND idempotency_key IN (%s)
            """;

    static final String AUTOINC_LOCK_MODE = "SELECT @@innodb_autoinc_lock_mode";

    /** The submitting identity's job under this key, if any. */
    static final String FIND_BY_IDEMPOTENCY_KEY = """
            SELECT id, state, request_hash FROM job
            WHERE queue = ? AND idempotency_scope = COALESCE(?, '') AND idempotency_key = ?
            """;

    /**
     * Locks the dependencies in share mode while the dependent is inserted: a dependency that
     * completes concurrently waits for this insert to commit and then sees the dependent.
     */
    static final String LOCK_DEPENDENCY_STATES = """
            SELECT id, state FROM job WHERE id IN (%s) LOCK IN SHARE MODE
            """;

    /**
     * A child's parent, share-locked until the child commits: the parent's release (which locks it
     * for update) waits, then counts the child. A parent takes children only while it is WAITING
     * for them.
     */
    static final String LOCK_PARENT = "SELECT state, await_children FROM job WHERE id = ? LOCK IN SHARE MODE";

    static final String INSERT_DEPENDENCY = "INSERT INTO job_dependency (job_id, depends_on_id) VALUES (?, ?)";

    static final String INSERT_LABEL = "INSERT INTO job_label (job_id, name, value) VALUES (?, ?, ?)";

    static final String UPSERT_CONCURRENCY_KEY = """
            INSERT INTO concurrency_key (name, max_running) VALUES (?, ?)
            ON DUPLICATE KEY UPDATE max_running = VALUES(max_running)
            """;

    // ---- events

    static final String INSERT_STATE_EVENT = """
            INSERT INTO job_event (job_id, at, kind, state, message, worker, attempt)
            VALUES (?, NOW(6), 'STATE', ?, ?, ?, ?)
            """;

    /** A handler's step, written only while its lease is current. */
    static final String INSERT_STEP_EVENT_FENCED = """
            INSERT INTO job_event (job_id, at, kind, step, status_code, command, message, worker, attempt)
            SELECT id, NOW(6), 'STEP', ?, ?, ?, ?, ?, attempt
            FROM job WHERE id = ? AND lease_epoch = ? AND state = 'RUNNING'
            """;

    // ---- claim: the statements are in ClaimSql

    static final String IS_PAUSED = "SELECT 1 FROM queue_pause WHERE queue = ?";

    // ---- heartbeat: one statement for all of a pool's leases

    /**
     * Renews every lease still held by {@code owner} at the expected epoch. A job whose cancel was
     * requested is not renewed: the worker learns of it from the shortfall and stops it.
     *
     * <p>Each lease is matched as an {@code (id, lease_epoch)} pair: one pool may hold two epochs of
     * one job (an old lost execution still in flight and the job's re-claim), and only the live
     * pair may match. The {@code id IN} list is what the range optimizer reads the primary key
     * with (MariaDB 10.11 also does so from the row constructor alone: EXPLAIN shows a PRIMARY
     * range and {@code Handler_read_key} one per lease; MySQL's range optimizer for row
     * constructors has conditions of its own, so the plain list keeps the plan the same on both).
     */
    static final String RENEW_LEASES = """
            UPDATE job SET lease_expires_at = TIMESTAMPADD(MICROSECOND, ?, NOW(6))
            WHERE id IN (%s) AND (id, lease_epoch) IN (%s)
              AND lease_owner = ? AND state = 'RUNNING' AND cancel_requested = FALSE
            """;

    static final String LEASE_STATES = """
            SELECT id, lease_epoch, lease_owner, state, cancel_requested FROM job WHERE id IN (%s)
            """;

    // ---- completion, fenced

    static final String COMPLETE_SUCCEEDED = """
            UPDATE job
            SET state = 'SUCCEEDED', result = ?, finished_at = NOW(6), lease_owner = NULL,
                lease_expires_at = NULL, cancel_requested = FALSE, version = version + 1
            WHERE id = ? AND lease_epoch = ? AND state = 'RUNNING'
            """;

    /** The rarer outcomes read the row under lock first, to decide READY or DEAD from its attempts. */
    static final String LOCK_LEASED = """
            SELECT attempt, max_attempts, cancel_requested FROM job
            WHERE id = ? AND lease_epoch = ? AND state = 'RUNNING'
            FOR UPDATE
            """;

    static final String RESCHEDULE = """
            UPDATE job
            SET state = 'READY', run_at = TIMESTAMPADD(MICROSECOND, ?, NOW(6)), last_error = COALESCE(?, last_error),
                lease_owner = NULL, lease_expires_at = NULL, attempt = attempt - ?,
                version = version + 1
            WHERE id = ?
            """;

    static final String FINISH = """
            UPDATE job
            SET state = ?, last_error = ?, finished_at = NOW(6), lease_owner = NULL,
                lease_expires_at = NULL, version = version + 1
            WHERE id = ?
            """;

    // ---- what follows a job's end: dependents and parents

    static final String FOLLOWERS = """
            SELECT d.job_id, 'D' FROM job_dependency d WHERE d.depends_on_id IN (%1$s)
            UNION ALL
            SELECT j.parent_id, 'P' FROM job j WHERE j.id IN (%1$s) AND j.parent_id IS NOT NULL
            """;

    static final String LOCK_WAITING = """
            SELECT id, await_children FROM job WHERE id IN (%s) AND state = 'WAITING' ORDER BY id FOR UPDATE
            """;

    /** Per waiting job: dependencies not SUCCEEDED, and of those how many ended for good. */
    static final String UNMET_DEPENDENCIES = """
            SELECT d.job_id, p.id, p.state FROM job_dependency d JOIN job p ON p.id = d.depends_on_id
            WHERE d.job_id IN (%s) AND p.state <> 'SUCCEEDED'
            """;

    static final String PENDING_CHILDREN = """
            SELECT parent_id, COUNT(*) FROM job
            WHERE parent_id IN (%s) AND state NOT IN ('SUCCEEDED', 'DEAD', 'CANCELLED')
            GROUP BY parent_id
            """;

    static final String MAKE_READY = """
            UPDATE job SET state = 'READY', run_at = GREATEST(run_at, NOW(6)), version = version + 1
            WHERE id = ? AND state = 'WAITING'
            """;

    // ---- reaper

    static final String SELECT_EXPIRED = """
            SELECT id, attempt, max_attempts, cancel_requested, lease_owner FROM job FORCE INDEX (ix_job_state)
            WHERE state = 'RUNNING' AND lease_expires_at < NOW(6)
            LIMIT ?
            FOR UPDATE SKIP LOCKED
            """;

    // ---- control

    static final String LOCK_FOR_CONTROL = "SELECT state, attempt FROM job WHERE id = ? FOR UPDATE";

    static final String REQUEST_CANCEL = """
            UPDATE job SET cancel_requested = TRUE, version = version + 1 WHERE id = ? AND state = 'RUNNING'
            """;

    static final String RESET_FOR_RETRY = """
            UPDATE job
            SET state = ?, attempt = 0, run_at = NOW(6), finished_at = NULL, cancel_requested = FALSE,
                lease_owner = NULL, lease_expires_at = NULL, version = version + 1
            WHERE id = ?
            """;

    /**
     * A retried job's dependencies, share-locked as a submission locks them: a dependency that is
     * ending in another transaction is waited for and then seen ended. Read without a lock, it
     * would be seen unfinished while that transaction's aftermath passed over this job (not yet
     * WAITING), which would then wait forever.
     */
    static final String LOCK_DEPENDENCY_STATES_OF = """
            SELECT p.id, p.state FROM job_dependency d JOIN job p ON p.id = d.depends_on_id WHERE d.job_id = ?
            ORDER BY p.id LOCK IN SHARE MODE
            """;

    static final String PAUSE = """
            INSERT INTO queue_pause (queue, paused_at, paused_by) VALUES (?, NOW(6), ?)
            ON DUPLICATE KEY UPDATE paused_by = paused_by
            """;

    static final String RESUME = "DELETE FROM queue_pause WHERE queue = ?";

    /** A queue exists while it holds a job (of any state) or is paused; ix_job_list answers the first. */
    static final String QUEUE_EXISTS = """
            SELECT EXISTS (SELECT 1 FROM job WHERE queue = ?) OR EXISTS (SELECT 1 FROM queue_pause WHERE queue = ?)
            """;

    // ---- retention, in small batches that hold no long locks

    static final String SELECT_PRUNABLE = """
            SELECT id FROM job FORCE INDEX (ix_job_finished)
            WHERE finished_at < TIMESTAMPADD(MICROSECOND, -?, NOW(6))
              AND state IN ('SUCCEEDED', 'DEAD', 'CANCELLED')
            ORDER BY finished_at
            LIMIT ?
            FOR UPDATE SKIP LOCKED
            """;

    static final String DELETE_EVENTS = "DELETE FROM job_event WHERE job_id IN (%s)";
    static final String DELETE_LABELS = "DELETE FROM job_label WHERE job_id IN (%s)";
    static final String DELETE_DEPENDENCIES = "DELETE FROM job_dependency WHERE job_id IN (%s)";
    static final String DELETE_JOBS = "DELETE FROM job WHERE id IN (%s)";

    // ---- reads

    static final String SELECT_JOB_COLUMNS = """
            SELECT id, queue, type, state, priority, run_at, attempt, max_attempts, lease_owner,
                   lease_epoch, lease_expires_at, cancel_requested, idempotency_key, payload,
                   content_type, result, last_error, parent_id, concurrency_key, labels, trace_parent,
                   created_by, created_at, started_at, finished_at
            FROM job
            """;

    /** Who submitted each of the {@code %s} jobs (null: no identity); a missing job has no row. */
    static final String CREATORS_OF = "SELECT id, created_by FROM job WHERE id IN (%s)";

    static final String DEPENDENCIES_OF = "SELECT depends_on_id FROM job_dependency WHERE job_id = ? ORDER BY depends_on_id";

    /**
     * Events with their job's parent (by primary key; null once retention pruned the job), so
     * that a watch of a workflow's parent also sees its children's progress.
     */
    static final String EVENT_COLUMNS = """
            SELECT e.id, e.job_id, j.parent_id, e.at, e.kind, e.state, e.step, e.status_code, e.command,
                   e.message, e.worker, e.attempt
            FROM job_event e LEFT JOIN job j ON j.id = e.job_id
            """;

    static final String EVENTS_OF_JOB = EVENT_COLUMNS + " WHERE e.job_id = ? AND e.id > ? ORDER BY e.id LIMIT ?";

    static final String EVENTS_AFTER = EVENT_COLUMNS + " WHERE e.id > ? ORDER BY e.id LIMIT ?";

    /** The children of a workflow parent, from ix_job_parent. */
    static final String CHILDREN_OF = "SELECT id FROM job WHERE parent_id = ? ORDER BY id";

    /** Events of a few jobs (a parent and its children), from ix_job_event_job; %s: one ? per job. */
    static final String EVENTS_OF_JOBS = EVENT_COLUMNS + " WHERE e.job_id IN (%s) AND e.id > ? ORDER BY e.id LIMIT ?";

    static final String LAST_EVENT_ID = "SELECT COALESCE(MAX(id), 0) FROM job_event";

    /** Unfinished and DEAD jobs by queue and state, from the state index; finished history is not scanned. */
    static final String DEPTH_BY_QUEUE_AND_STATE = """
            SELECT queue, state, COUNT(*) FROM job FORCE INDEX (ix_job_state)
            WHERE state IN ('WAITING', 'READY', 'RUNNING', 'DEAD')
            GROUP BY queue, state
            """;

    static final String PAUSED_QUEUES = "SELECT queue FROM queue_pause";

    /**
     * Every queue that holds a job, finished ones too: a queue whose jobs all SUCCEEDED is still a
     * queue (it was missing from the list). ix_job_list (queue, id) answers it by a loose index scan.
     */
    static final String QUEUES_WITH_JOBS = "SELECT queue FROM job FORCE INDEX (ix_job_list) GROUP BY queue";

    // ---- worker registry

    static final String REGISTER_WORKER = """
            INSERT INTO worker_process (id, host, pid, pools, slots, started_at, heartbeat_at)
            VALUES (?, ?, ?, ?, ?, NOW(6), NOW(6))
            ON DUPLICATE KEY UPDATE host = VALUES(host), pid = VALUES(pid), pools = VALUES(pools),
                slots = VALUES(slots), heartbeat_at = NOW(6), stopped_at = NULL
            """;

    static final String HEARTBEAT_WORKER = "UPDATE worker_process SET heartbeat_at = NOW(6) WHERE id = ?";

    static final String DEREGISTER_WORKER = "UPDATE worker_process SET stopped_at = NOW(6) WHERE id = ?";

    static final String LIST_WORKERS = """
            SELECT id, host, pid, pools, slots, started_at, heartbeat_at, stopped_at,
                   stopped_at IS NULL AND heartbeat_at >= TIMESTAMPADD(MICROSECOND, -?, NOW(6)) AS alive
            FROM worker_process ORDER BY started_at DESC, id
            """;
}
