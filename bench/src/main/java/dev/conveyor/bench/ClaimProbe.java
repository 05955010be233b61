package dev.conveyor.bench;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.store.JobClaimer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * How many index entries and rows one claim reads, by the server's own count: Conveyor's claim
 * ({@link JobClaimer}, the code the worker runs) in a READ COMMITTED transaction that is rolled
 * back, between two readings of the session's handler counters. Counted: every
 * {@code Handler_read%} counter, plus the entries index condition pushdown looked at and rejected
 * ({@code Handler_icp_attempts} less {@code Handler_icp_match}), which no read counter shows.
 */
final class ClaimProbe {
    private static final int BATCH = 50;

    private ClaimProbe() {
    }

    /** Rows read by a claim of up to {@value #BATCH} jobs of {@code queue}; throws if it leased any (it must be idle). */
    static long idleClaimReads(ConveyorDatabase db, String queue) throws SQLException {
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET time_zone = '+00:00'");
            }
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            long before = handlerReads(c);
            long overhead = handlerReads(c) - before;
            long start = handlerReads(c);
            int leased = new JobClaimer(Duration.ofSeconds(1))
                    .claim(c, new ClaimRequest(queue, "bench-probe", BATCH, Duration.ofSeconds(30))).size();
            long read = handlerReads(c) - start - overhead;
            c.rollback();
            if (leased != 0) {
                throw new BenchException("the idle-claim probe of queue " + queue + " found " + leased
                        + " due jobs; it must run once the queue has none");
            }
            return read;
        }
    }

    private static long handlerReads(Connection c) throws SQLException {
        long sum = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SHOW SESSION STATUS WHERE Variable_name LIKE 'Handler_read%' OR Variable_name LIKE 'Handler_icp%'")) {
            while (rs.next()) {
                sum += rs.getString(1).equalsIgnoreCase("Handler_icp_match") ? -rs.getLong(2) : rs.getLong(2);
            }
        }
        return sum;
    }
}
