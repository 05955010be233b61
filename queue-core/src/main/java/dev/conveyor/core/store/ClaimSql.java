package dev.conveyor.core.store;

/**
 * The claim's statements (READ COMMITTED, one short transaction), kept apart from {@link JobSql}
 * because the claim is the one statement every idle worker repeats, and what it may read is its
 * own contract.
 *
 * <p>Why two statements, not one: in {@code ix_job_claim (queue, state, priority, run_at, id)} the
 * bound {@code run_at <= NOW(6)} is a range only once {@code priority} is fixed. Over a whole queue
 * ({@code ORDER BY priority, run_at, id}) it is a filter, so a claim walked every future-dated READY
 * row (jobs scheduled ahead, retries waiting out a backoff) that sorts ahead of the first due one:
 * with nothing due, the whole future backlog on every idle poll (issue 14). So the claim first finds
 * which priorities have a due row ({@link #DUE_PRIORITIES}, a loose index scan that reads a couple of
 * index entries per priority) and then takes the due rows of each such priority, best first, by a
 * range bounded on {@code run_at} ({@link #CLAIM_DUE_AT_PRIORITY}). The order in which jobs are
 * leased is the old one: priority, then run_at, then id. {@code ClaimPlanIT} holds the rows read.
 */
final class ClaimSql {
    private ClaimSql() {
    }

    /**
     * The priorities of {@code queue} that have at least one due READY row, with the oldest due
     * run_at of each; nothing while the queue is paused. The caller sorts them (a handful of
     * rows): an {@code ORDER BY} here adds a temporary table and a filesort to the plan, and MySQL
     * 8 no longer promises that {@code GROUP BY} sorts.
     *
     * <p>The plan is MariaDB's and MySQL's loose index scan ("Using index for group-by"): the
     * {@code GROUP BY} names a prefix of the index and {@code MIN(run_at)} its next column, so the
     * server seeks once per priority to its first entry within the bound and jumps to the next
     * priority; the future rows between are not read. The grouping must name {@code queue} and
     * {@code state} too, or the server falls back to reading every READY row of the queue. The
     * pause probe is a consistent read in the same round trip. A READY row whose cancel was
     * requested (only rows from versions before that rule) may make a priority look due; the claim
     * below skips it.
     */
    static final String DUE_PRIORITIES = """
            SELECT priority, MIN(run_at) FROM job FORCE INDEX (ix_job_claim)
            WHERE queue = ? AND state = 'READY' AND run_at <= NOW(6)
              AND NOT EXISTS (SELECT 1 FROM queue_pause p WHERE p.queue = ?)
            GROUP BY queue, state, priority
            """;

    /**
     * The due candidates of one priority, in the claim index's own order (no filesort: see
     * DESIGN.md), locked with SKIP LOCKED so concurrent claimers take disjoint sets. With
     * {@code priority} fixed, {@code run_at <= NOW(6)} bounds the index range: the rows read are
     * the due ones taken, plus those another claimer holds. {@code expires} tells the worker
     * roughly when its lease ends; the authoritative expiry is written by {@link #MARK_CLAIMED}. A
     * job whose cancel was requested is never claimed: settling a RUNNING job with its request set
     * ends it CANCELLED, so no READY row carries one (only rows left by versions before that rule;
     * an operator's cancel ends them). The fault suite finds this statement on the wire by its
     * {@code AS expires}.
     */
    static final String CLAIM_DUE_AT_PRIORITY = """
            SELECT id, type, attempt, max_attempts, lease_epoch, payload, content_type, trace_parent,
                   labels, parent_id, created_at, concurrency_key,
                   TIMESTAMPADD(MICROSECOND, ?, NOW(6)) AS expires
            FROM job FORCE INDEX (ix_job_claim)
            WHERE queue = ? AND state = 'READY' AND priority = ? AND run_at <= NOW(6)
              AND cancel_requested = FALSE
            ORDER BY run_at, id
            LIMIT ?
            FOR UPDATE SKIP LOCKED
            """;

    static final String MARK_CLAIMED = """
            UPDATE job
            SET state = 'RUNNING', lease_owner = ?, lease_epoch = lease_epoch + 1,
                lease_expires_at = TIMESTAMPADD(MICROSECOND, ?, NOW(6)),
                attempt = attempt + 1, started_at = NOW(6), version = version + 1
            WHERE id IN (%s)
            """;

    /** Serialises claimers of one concurrency key, so the RUNNING count below stays true. */
    static final String LOCK_CONCURRENCY_KEYS = """
            SELECT name, max_running FROM concurrency_key WHERE name IN (%s) ORDER BY name FOR UPDATE
            """;

    static final String COUNT_RUNNING_BY_KEY = """
            SELECT concurrency_key, COUNT(*) FROM job
            WHERE concurrency_key IN (%s) AND state = 'RUNNING'
            GROUP BY concurrency_key
            """;

    /** A job whose key is full steps aside for a moment instead of blocking the head of the queue. */
    static final String DEFER = """
            UPDATE job SET run_at = TIMESTAMPADD(MICROSECOND, ?, NOW(6)), version = version + 1
            WHERE id IN (%s)
            """;

    /**
     * How long the oldest due READY job of {@code queue} has waited (null: none due), for metrics
     * and readiness: the same loose index scan as {@link #DUE_PRIORITIES}, so a large future
     * backlog costs a couple of index entries per priority, not a read of every READY row.
     */
    static final String OLDEST_DUE_READY = """
            SELECT TIMESTAMPDIFF(MICROSECOND, MIN(d.oldest), NOW(6)) FROM (
                SELECT MIN(run_at) AS oldest FROM job FORCE INDEX (ix_job_claim)
                WHERE queue = ? AND state = 'READY' AND run_at <= NOW(6)
                GROUP BY queue, state, priority
            ) d
            """;
}
