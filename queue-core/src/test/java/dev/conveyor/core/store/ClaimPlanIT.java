package dev.conveyor.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.ClaimRequest;
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

/**
 * The hot path's statements, taken from {@link JobSql} itself, run on a populated table: the rows
 * each reads (the server's handler counters) stay bounded by what its index range promises, not
 * by the size of the table. The claim today walks the future-dated READY rows that sort ahead of
 * the due ones (issue 14); the bound counts them, so it only tightens once that is fixed.
 */
@ExtendWith(TestDatabase.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimPlanIT {
    private static final String QUEUE = "plan";
    private static final int DUE = 1_000;
    /** Future-dated, behind the due rows in the claim index's order (same priority, later run_at). */
    private static final int FUTURE_BEHIND = 2_000;
    /** Future-dated with a higher priority: ahead of the due rows in the index, walked today. */
    private static final int FUTURE_AHEAD = 300;
    private static final int OTHER_QUEUE = 2_000;
    private static final int RUNNING = 200;
    private static final int CLAIM = 10;
    /** The range's edges and the pause probe: a handful of reads beyond the rows themselves. */
    private static final int SLACK = 5;

    @BeforeAll
    void populate(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        submit(m, DUE, () -> Jobs.noop(QUEUE));
        submit(m, FUTURE_BEHIND, () -> Jobs.builder(QUEUE).delay(Duration.ofHours(1)).build());
        submit(m, FUTURE_AHEAD, () -> Jobs.builder(QUEUE).priority(-10).delay(Duration.ofHours(1)).build());
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
    void theClaimReadsTheDueRowsAndTheFutureOnesAheadOfThemNotTheTable(TestDb db) throws SQLException {
        long examined = rowsRead(db, JobSql.SELECT_CLAIMABLE, ps -> {
            ps.setLong(1, Duration.ofSeconds(30).toNanos() / 1000);
            ps.setString(2, QUEUE);
            ps.setString(3, QUEUE);
            ps.setInt(4, CLAIM);
        }, CLAIM);
        assertThat(examined).as("rows read by one claim of " + CLAIM + " among " + total() + " rows")
                .isLessThanOrEqualTo(FUTURE_AHEAD + CLAIM + SLACK);
    }

    @Test
    void theClaimIsServedByTheClaimIndexWithoutFilesort(TestDb db) throws SQLException {
        List<Map<String, Object>> plan = explain(db, JobSql.SELECT_CLAIMABLE, ps -> {
            ps.setLong(1, 30_000_000L);
            ps.setString(2, QUEUE);
            ps.setString(3, QUEUE);
            ps.setInt(4, CLAIM);
        });
        List<Map<String, Object>> job = plan.stream().filter(row -> "job".equals(row.get("table"))).toList();
        assertThat(job).hasSize(1);
        assertThat(job.get(0).get("key")).isEqualTo("ix_job_claim");
        assertThat(plan).allSatisfy(row -> assertThat(String.valueOf(row.get("Extra"))).doesNotContain("filesort"));
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
            assertThat(rows).as("rows returned").isEqualTo(expectedRows);
            return read;
        }
    }

    private static long handlerReads(Connection c) throws SQLException {
        long sum = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read%'")) {
            while (rs.next()) {
                sum += rs.getLong(2);
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
