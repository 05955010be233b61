package dev.conveyor.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a Conveyor database with finished history for W4: jobs SUCCEEDED long ago with their three
 * state events (READY, RUNNING, SUCCEEDED), as Conveyor itself would have left them, written with
 * multi-row {@code INSERT … SELECT}s over a digits table in chunks of {@value #CHUNK} jobs (one
 * short transaction each, so the undo log stays small).
 */
final class HistoryPreload {
    static final String TYPE = "history";
    private static final int CHUNK = 100_000;
    private static final Logger log = LoggerFactory.getLogger(HistoryPreload.class);

    private static final String INSERT_JOBS = """
            INSERT INTO job (queue, type, state, priority, run_at, attempt, max_attempts, lease_epoch,
                             created_at, started_at, finished_at)
            SELECT ?, ?, 'SUCCEEDED', 0, t.at, 1, 5, 1, t.at, t.at, TIMESTAMPADD(MICROSECOND, 500, t.at)
            FROM (SELECT TIMESTAMPADD(MICROSECOND, -1000 * (? - (? + a.d * 1000 + b.d)),
                                      TIMESTAMPADD(HOUR, -1, NOW(6))) AS at
                  FROM bench_digits a CROSS JOIN bench_digits b
                  WHERE a.d < ? AND a.d * 1000 + b.d < ?) t""";
    private static final String INSERT_EVENTS = """
            INSERT INTO job_event (job_id, at, kind, state, worker, attempt)
            SELECT j.id, j.created_at, 'STATE', s.state, s.worker, s.attempt
            FROM job j CROSS JOIN (SELECT 'READY' AS state, NULL AS worker, 0 AS attempt
                                   UNION ALL SELECT 'RUNNING', 'history/bench', 1
                                   UNION ALL SELECT 'SUCCEEDED', 'history/bench', 1) s
            WHERE j.type = ? AND j.id BETWEEN ? AND ?
            ORDER BY j.id""";

    private HistoryPreload() {
    }

    /** Inserts {@code jobs} finished jobs of type {@value #TYPE} into {@code queue}, with their events. */
    static void preload(ConveyorDatabase db, String queue, int jobs) throws SQLException {
        long start = System.nanoTime();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_digits (d INT NOT NULL PRIMARY KEY) ENGINE = InnoDB");
            try {
                s.execute("INSERT INTO bench_digits (d) VALUES "
                        + String.join(",", IntStream.range(0, 1000).mapToObj(i -> "(" + i + ")").toList()));
                for (int from = 0; from < jobs; from += CHUNK) {
                    int rows = Math.min(CHUNK, jobs - from);
                    try (PreparedStatement ps = c.prepareStatement(INSERT_JOBS)) {
                        ps.setString(1, queue);
                        ps.setString(2, TYPE);
                        ps.setInt(3, jobs);
                        ps.setInt(4, from);
                        ps.setInt(5, (rows + 999) / 1000);
                        ps.setInt(6, rows);
                        ps.executeUpdate();
                    }
                    log.info("W4 history: {} of {} jobs", from + rows, jobs);
                }
                long firstId;
                long lastId;
                try (ResultSet rs = s.executeQuery("SELECT MIN(id), MAX(id) FROM job WHERE type = '" + TYPE + "'")) {
                    rs.next();
                    firstId = rs.getLong(1);
                    lastId = rs.getLong(2);
                }
                for (long from = firstId; from <= lastId; from += CHUNK) {
                    try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
                        ps.setString(1, TYPE);
                        ps.setLong(2, from);
                        ps.setLong(3, Math.min(lastId, from + CHUNK - 1));
                        ps.executeUpdate();
                    }
                    log.info("W4 history: events of jobs up to id {} of {}", Math.min(lastId, from + CHUNK - 1),
                            lastId);
                }
            } finally {
                s.execute("DROP TABLE bench_digits");
            }
        }
        log.info("W4 history of {} jobs preloaded in {} s", jobs, (System.nanoTime() - start) / 1_000_000_000);
    }
}
