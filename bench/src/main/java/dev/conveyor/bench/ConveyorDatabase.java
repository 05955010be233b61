package dev.conveyor.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the harness reads from a Conveyor database: timings by the database's own clock, and the
 * exactly-once checks. Read-only, except through {@link HistoryPreload}. Every query opens its
 * own connection: the harness polls rarely, and must never hold locks the workers want.
 */
final class ConveyorDatabase {
    /** The table where the {@code record} job type logs each committed execution. */
    static final String EXECUTION_LOG = "job_execution_log";

    private final DatabaseServer server;
    private final String database;

    ConveyorDatabase(DatabaseServer server, String database) {
        this.server = server;
        this.database = database;
    }

    String name() {
        return database;
    }

    Connection connect() throws SQLException {
        return server.connect(database);
    }

    /** Jobs of the set in {@code state}. */
    long count(JobSet jobs, String state) throws SQLException {
        return queryLong("SELECT COUNT(*) FROM job j WHERE " + JobSet.WHERE + " AND j.state = ?",
                jobs.queue(), jobs.type(), jobs.afterId(), state);
    }

    /**
     * Jobs of the set's queue not yet ended, of any type: cheap enough to poll during a drain (a
     * range of the claim index, which holds no finished job), unlike a count of finished jobs.
     */
    long unfinished(JobSet jobs) throws SQLException {
        return queryLong("SELECT COUNT(*) FROM job WHERE queue = ? AND state IN ('WAITING', 'READY', 'RUNNING') "
                + "AND id > ?", jobs.queue(), jobs.afterId());
    }

    /** Jobs of {@code queue} in {@code state}, of any type. */
    long countInState(String queue, String state) throws SQLException {
        return queryLong("SELECT COUNT(*) FROM job WHERE queue = ? AND state = ?", queue, state);
    }

    /** The highest job id so far; 0 when there is none. */
    long lastJobId() throws SQLException {
        return queryLong("SELECT COALESCE(MAX(id), 0) FROM job");
    }

    /** Microseconds from the first claim to the last completion of the set's jobs. */
    long drainMicros(JobSet jobs) throws SQLException {
        return queryLong("SELECT TIMESTAMPDIFF(MICROSECOND, MIN(j.started_at), MAX(j.finished_at)) FROM job j WHERE "
                + JobSet.WHERE, jobs.queue(), jobs.type(), jobs.afterId());
    }

    /**
     * Checks that each of the {@code expected} jobs of the set ran once: with {@code record} jobs
     * by their rows in {@value #EXECUTION_LOG} (one per committed execution, written in the
     * completing transaction), otherwise by their SUCCEEDED events. Missing: jobs never created,
     * not SUCCEEDED, or SUCCEEDED without an execution.
     */
    Tally tally(JobSet jobs, long expected, boolean record) throws SQLException {
        String executions = record
                ? "SELECT l.job_id AS job_id FROM " + EXECUTION_LOG + " l JOIN job j ON j.id = l.job_id WHERE "
                        + JobSet.WHERE
                : "SELECT e.job_id AS job_id FROM job_event e JOIN job j ON j.id = e.job_id WHERE " + JobSet.WHERE
                        + " AND e.kind = 'STATE' AND e.state = 'SUCCEEDED'";
        Object[] set = {jobs.queue(), jobs.type(), jobs.afterId()};
        long duplicates = queryLong("SELECT COUNT(*) FROM (SELECT job_id FROM (" + executions + ") x "
                + "GROUP BY job_id HAVING COUNT(*) > 1) d", set);
        long created = queryLong("SELECT COUNT(*) FROM job j WHERE " + JobSet.WHERE, set);
        long unfinishedOrUnrun = queryLong("SELECT COUNT(*) FROM job j WHERE " + JobSet.WHERE
                + " AND (j.state <> 'SUCCEEDED' OR j.id NOT IN (SELECT job_id FROM (" + executions + ") x))",
                jobs.queue(), jobs.type(), jobs.afterId(), jobs.queue(), jobs.type(), jobs.afterId());
        return new Tally(expected, duplicates, Math.max(0, expected - created) + unfinishedOrUnrun);
    }

    /**
     * Milliseconds from each job's insert to its first RUNNING event (written by the claim, just
     * before its handler starts), both by the database's clock.
     */
    List<Double> startLatenciesMillis(JobSet jobs) throws SQLException {
        List<Double> millis = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT TIMESTAMPDIFF(MICROSECOND, j.created_at, MIN(e.at))
                FROM job j JOIN job_event e ON e.job_id = j.id AND e.kind = 'STATE' AND e.state = 'RUNNING'
                """ + " WHERE " + JobSet.WHERE + " GROUP BY j.id, j.created_at")) {
            ps.setString(1, jobs.queue());
            ps.setString(2, jobs.type());
            ps.setLong(3, jobs.afterId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    millis.add(rs.getLong(1) / 1000.0);
                }
            }
        }
        return millis;
    }

    /** The registry id of the live worker process {@code pid}, once it has registered. */
    Optional<String> workerId(long pid) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM worker_process WHERE pid = ? AND stopped_at IS NULL "
                        + "ORDER BY started_at DESC LIMIT 1")) {
            ps.setLong(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The database's clock, in microseconds since the epoch. */
    long nowMicros() throws SQLException {
        return queryLong("SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01', NOW(6))");
    }

    /** Ids of the RUNNING jobs whose lease {@code owner} holds. */
    List<Long> runningOwnedBy(String owner) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM job WHERE state = 'RUNNING' AND lease_owner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /**
     * Of some jobs, how many ran again after a moment, and when the last of them did.
     *
     * @param jobs         jobs with a RUNNING event after the moment
     * @param latestMicros the latest of their first such events, microseconds since the epoch; 0 when none
     */
    record Reruns(long jobs, long latestMicros) {
    }

    /** Which of {@code ids} have run again (have a RUNNING event) after {@code afterMicros}. */
    Reruns rerunAfter(List<Long> ids, long afterMicros) throws SQLException {
        String in = String.join(",", ids.stream().map(String::valueOf).toList());
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*), COALESCE(MAX(first_at), 0) FROM (SELECT e.job_id, "
                        + "MIN(TIMESTAMPDIFF(MICROSECOND, '1970-01-01', e.at)) AS first_at FROM job_event e "
                        + "WHERE e.job_id IN (" + in + ") AND e.kind = 'STATE' AND e.state = 'RUNNING' "
                        + "AND e.at > TIMESTAMPADD(MICROSECOND, ?, '1970-01-01') GROUP BY e.job_id) r")) {
            ps.setLong(1, afterMicros);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Reruns(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** "job: 812 MiB data + 301 MiB indexes; job_event: …", after refreshing the statistics. */
    String tableSizes(List<String> tables) throws SQLException {
        List<String> parts = new ArrayList<>();
        try (Connection c = connect()) {
            for (String table : tables) {
                try (PreparedStatement analyze = c.prepareStatement("ANALYZE TABLE " + table)) {
                    analyze.execute();
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT data_length, index_length, table_rows "
                        + "FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
                    ps.setString(1, database);
                    ps.setString(2, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            parts.add(table + " ~" + rs.getLong(3) + " rows, " + mib(rs.getLong(1)) + " data + "
                                    + mib(rs.getLong(2)) + " indexes");
                        }
                    }
                }
            }
        }
        return String.join("; ", parts);
    }

    private static String mib(long bytes) {
        return bytes / (1024 * 1024) + " MiB";
    }

    private long queryLong(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
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
