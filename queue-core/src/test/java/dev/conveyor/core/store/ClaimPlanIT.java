package dev.conveyor.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.JobRules;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot path's statements, taken from {@link ClaimSql} and {@link JobSql} themselves, run on a
 * populated table: the rows each reads (the server's handler counters) stay bounded by what its
 * index range promises, not by the size of the table. In particular a claim is blind to
 * future-dated READY rows (jobs scheduled ahead, retries waiting out a backoff: to the index they
 * are the same), wherever they sort: issue 14, where an idle claim read the whole future backlog.
 */
@ExtendWith(TestDatabase.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimPlanIT {
    private static final Logger log = LoggerFactory.getLogger(ClaimPlanIT.class);
    private static final String QUEUE = "plan";
    /** Nothing due: only a backlog in the future, some of it at a better priority. */
    private static final String IDLE = "plan-idle";
    private static final int DUE = 1_000;
    /** Future-dated, behind the due rows in the claim index's order (same priority, later run_at). */
    private static final int FUTURE_BEHIND = 2_000;
    /** Future-dated with a better priority: ahead of the due rows in the index. */
    private static final int FUTURE_AHEAD = 10_000;
    private static final int IDLE_SCHEDULED = 20_000;
    private static final int IDLE_AHEAD = 1_000;
    private static final int OTHER_QUEUE = 2_000;
    private static final int RUNNING = 200;
    private static final int CLAIM = 10;
    /** The range's edges, the pause probe, a priority's first entry: a handful beyond the rows taken. */
    private static final int SLACK = 12;
    /**
     * Reads per job a whole claim costs: the locking read of its index entry and the row, and the
     * update by primary key (which reads the row again before it changes it).
     */
    private static final int READS_PER_CLAIMED_JOB = 3;

    @BeforeAll
    void populate(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        submit(m, DUE, () -> Jobs.noop(QUEUE));
        submit(m, FUTURE_BEHIND, () -> Jobs.builder(QUEUE).delay(Duration.ofHours(1)).build());
        submit(m, FUTURE_AHEAD, () -> Jobs.builder(QUEUE).priority(-10).delay(Duration.ofMinutes(5)).build());
        submit(m, IDLE_SCHEDULED, () -> Jobs.builder(IDLE).delay(Duration.ofHours(1)).build());
        submit(m, IDLE_AHEAD, () -> Jobs.builder(IDLE).priority(-5).delay(Duration.ofMinutes(2)).build());
        submit(m, OTHER_QUEUE, () -> Jobs.noop("plan-other"));
        submit(m, RUNNING, () -> Jobs.noop("plan-running"));
        // Running jobs whose leases are far from expiry: the reaper's range, none of them due.
        assertThat(m.claim(new ClaimRequest("plan-running", "w", RUNNING, Duration.ofHours(1)))).hasSize(RUNNING);
        db.queryRows("ANALYZE TABLE job");
    }

    private static void submit(QueueManager m, int n, Supplier<NewJob> job) {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(job.get());
            if (batch.size() == JobRules.MAX_BATCH_SIZE || i == n - 1) {
                m.submitAll(batch);
                batch.clear();
            }
        }
    }

    @Test
    void anIdleClaimReadsAHandfulOfRowsNotTheFutureBacklog(TestDb db) throws SQLException {
        long examined = claimReads(db, IDLE, CLAIM, 0);
        assertThat(examined).as("rows read by an idle claim beside " + (IDLE_SCHEDULED + IDLE_AHEAD) + " future rows")
                .isLessThanOrEqualTo(SLACK);
    }

    @Test
    void aClaimReadsTheDueRowsItTakesNotTheFutureOnesAroundThem(TestDb db) throws SQLException {
        long examined = claimReads(db, QUEUE, CLAIM, CLAIM);
        assertThat(examined).as("rows read by one claim of " + CLAIM + " behind " + FUTURE_AHEAD
                        + " future rows at a better priority and before " + FUTURE_BEHIND + " at the same")
                .isLessThanOrEqualTo(READS_PER_CLAIMED_JOB * CLAIM + SLACK);
    }

    @Test
    void theOldestDueReadyReadsAHandfulOfRows(TestDb db) throws SQLException {
        long examined = rowsRead(db, ClaimSql.OLDEST_DUE_READY, ps -> ps.setString(1, QUEUE), 1);
        assertThat(examined).as("rows read for the oldest due job among " + total() + " rows").isLessThanOrEqualTo(SLACK);
        long idle = rowsRead(db, ClaimSql.OLDEST_DUE_READY, ps -> ps.setString(1, IDLE), 1);
        assertThat(idle).as("rows read for the oldest due job of a queue with none due").isLessThanOrEqualTo(SLACK);
    }

    @Test
    void theDuePrioritiesAreALooseIndexScan(TestDb db) throws SQLException {
        List<Map<String, Object>> plan = explain(db, ClaimSql.DUE_PRIORITIES, ps -> {
            ps.setString(1, QUEUE);
            ps.setString(2, QUEUE);
        });
        List<Map<String, Object>> job = plan.stream().filter(row -> "job".equals(row.get("table"))).toList();
        assertThat(job).hasSize(1);
        assertThat(job.get(0).get("key")).isEqualTo("ix_job_claim");
        // A temporary table and a filesort may follow (of the groups, one row per priority: the
        // server cannot prove queue constant under the session's collation); the reads above bound it.
        assertThat(String.valueOf(job.get(0).get("Extra"))).contains("Using index for group-by");
    }

    @Test
    void theClaimIsServedByTheClaimIndexWithoutFilesort(TestDb db) throws SQLException {
        List<Map<String, Object>> plan = explain(db, ClaimSql.CLAIM_DUE_AT_PRIORITY, ps -> {
            ps.setLong(1, 30_000_000L);
            ps.setString(2, QUEUE);
            ps.setInt(3, 0);
            ps.setInt(4, CLAIM);
        });
        List<Map<String, Object>> job = plan.stream().filter(row -> "job".equals(row.get("table"))).toList();
        assertThat(job).hasSize(1);
        assertThat(job.get(0).get("key")).isEqualTo("ix_job_claim");
        assertThat(plan).allSatisfy(row -> assertThat(String.valueOf(row.get("Extra"))).doesNotContain("filesort"));
    }

    /** Priority first, then run_at, then id, across priorities and past the future rows between them. */
    @Test
    void aClaimTakesTheBestPriorityFirstAndEachPriorityInOrder(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        String q = "plan-order";
        List<Long> low = m.submitAll(List.of(Jobs.builder(q).priority(5).build(), Jobs.builder(q).priority(5).build(),
                Jobs.builder(q).priority(5).build())).stream().map(r -> r.jobId()).toList();
        m.submitAll(List.of(Jobs.builder(q).priority(1).delay(Duration.ofHours(1)).build()));
        List<Long> high = m.submitAll(List.of(Jobs.builder(q).priority(1).build(), Jobs.builder(q).priority(1).build()))
                .stream().map(r -> r.jobId()).toList();
        m.submitAll(List.of(Jobs.builder(q).priority(-3).delay(Duration.ofHours(1)).build()));
        List<Long> claimed = m.claim(new ClaimRequest(q, "w", 4, Duration.ofMinutes(1))).stream()
                .map(ClaimedJob::id).toList();
        assertThat(claimed).containsExactly(high.get(0), high.get(1), low.get(0), low.get(1));
        assertThat(m.claim(new ClaimRequest(q, "w", 4, Duration.ofMinutes(1)))).extracting(ClaimedJob::id)
                .containsExactly(low.get(2));
    }

    @Test
    void theReaperReadsOnlyTheRunningRange(TestDb db) throws SQLException {
        long examined = rowsRead(db, JobSql.SELECT_EXPIRED, ps -> ps.setInt(1, 100), 0);
        assertThat(examined).as("rows read by the reaper among " + total() + " rows, none expired")
                .isLessThanOrEqualTo(RUNNING + SLACK);
    }

    private static int total() {
        return DUE + FUTURE_BEHIND + FUTURE_AHEAD + OTHER_QUEUE + RUNNING;
    }

    /**
     * Rows a whole claim of {@code max} jobs of {@code queue} read (every statement of it), in a
     * transaction rolled back afterwards so the population stays as it was.
     */
    private static long claimReads(TestDb db, String queue, int max, int expectedJobs) throws SQLException {
        try (Connection c = db.newConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            long before = handlerReads(c);
            long overhead = handlerReads(c) - before;
            long start = handlerReads(c);
            List<ClaimedJob> jobs = new JobClaimer(Duration.ofSeconds(1))
                    .claim(c, new ClaimRequest(queue, "plan-claimer", max, Duration.ofSeconds(30)));
            long read = handlerReads(c) - start - overhead;
            c.rollback();
            log.info("a claim of {} from {} took {} jobs and read {} rows", max, queue, jobs.size(), read);
            assertThat(jobs).as("jobs claimed").hasSize(expectedJobs);
            return read;
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * Rows the statement read, from the session's {@code Handler_read%} counters around it (less
     * what reading the counters costs), in a READ COMMITTED transaction rolled back afterwards.
     */
    private static long rowsRead(TestDb db, String sql, Binder binder, int expectedRows) throws SQLException {
        try (Connection c = db.newConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            long before = handlerReads(c);
            long overhead = handlerReads(c) - before;
            long start = handlerReads(c);
            int rows = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
            }
            long read = handlerReads(c) - start - overhead;
            c.rollback();
            log.info("{} returned {} rows and read {}", sql.strip().lines().findFirst().orElse(sql), rows, read);
            assertThat(rows).as("rows returned").isEqualTo(expectedRows);
            return read;
        }
    }

    /**
     * Index entries and rows the session has read: every {@code Handler_read%} counter, plus the
     * entries index condition pushdown looked at and rejected ({@code Handler_icp_attempts} less
     * {@code Handler_icp_match}), which no read counter shows: a filter on {@code run_at} pushed
     * into the index would otherwise hide the very walk this test is about.
     */
    private static long handlerReads(Connection c) throws SQLException {
        long sum = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SHOW SESSION STATUS WHERE Variable_name LIKE 'Handler_read%' OR Variable_name LIKE 'Handler_icp%'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.equalsIgnoreCase("Handler_icp_match")) {
                    sum -= rs.getLong(2);
                } else {
                    sum += rs.getLong(2);
                }
            }
        }
        return sum;
    }

    private static List<Map<String, Object>> explain(TestDb db, String sql, Binder binder) throws SQLException {
        try (Connection c = db.newConnection(); PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
            binder.bind(ps);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
