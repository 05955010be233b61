package dev.conveyor.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.server.worker.BuiltinHandlers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-job accounting of a run of {@code record} jobs. A {@code record} job writes
 * {@code (job_id, attempt, worker)} in the transaction that completes it, so its rows in
 * {@value BuiltinHandlers#LOG_TABLE} are its committed completions: exactly one per job, and
 * the job SUCCEEDED, is the whole claim. lost = jobs without a committed completion;
 * completed twice = jobs with more than one.
 */
final class Ledger {
    /** {@code rerun}: jobs whose committed completion was not their first attempt (a crash or lost lease before). */
    record Tally(int jobs, int lost, int completedTwice, int notSucceeded, int strangers, int rerun) {
        @Override
        public String toString() {
            return "jobs=" + jobs + " lost=" + lost + " completedTwice=" + completedTwice + " notSucceeded="
                    + notSucceeded + " completionsOfUnknownJobs=" + strangers + " completedOnALaterAttempt=" + rerun;
        }
    }

    private final String jdbcUrl;
    private final String user;
    private final String password;

    Ledger(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    Tally tally(Collection<Long> jobIds) throws SQLException {
        Map<Long, Integer> completions = new HashMap<>();
        Set<Long> succeeded = new TreeSet<>();
        Set<Long> rerun = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT job_id, COUNT(*) FROM " + BuiltinHandlers.LOG_TABLE + " GROUP BY job_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    completions.put(rs.getLong(1), rs.getInt(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT job_id FROM " + BuiltinHandlers.LOG_TABLE + " WHERE attempt > 1");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rerun.add(rs.getLong(1));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM job WHERE state = 'SUCCEEDED'");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    succeeded.add(rs.getLong(1));
                }
            }
        }
        Set<Long> ids = Set.copyOf(jobIds);
        int lost = 0;
        int twice = 0;
        int notSucceeded = 0;
        for (long id : ids) {
            int n = completions.getOrDefault(id, 0);
            lost += n == 0 ? 1 : 0;
            twice += n > 1 ? 1 : 0;
            notSucceeded += succeeded.contains(id) ? 0 : 1;
        }
        int strangers = (int) completions.keySet().stream().filter(id -> !ids.contains(id)).count();
        return new Tally(ids.size(), lost, twice, notSucceeded, strangers,
                (int) rerun.stream().filter(ids::contains).count());
    }

    /** Every job completed exactly once and SUCCEEDED. */
    void assertExactlyOnce(Collection<Long> jobIds) throws SQLException {
        Tally t = tally(jobIds);
        assertThat(t.lost()).as("lost: " + t).isZero();
        assertThat(t.completedTwice()).as("completed twice: " + t).isZero();
        assertThat(t.notSucceeded()).as("not SUCCEEDED: " + t).isZero();
        assertThat(t.strangers()).as("completions of jobs nobody submitted: " + t).isZero();
    }

    /** The first column of the first row. */
    long queryLong(String sql, Object... args) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
