package dev.conveyor.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills W5's queue with a backlog in the future, as Conveyor itself would hold it: READY jobs
 * scheduled an hour ahead (a submission's delay), and READY jobs of a first failed attempt waiting
 * out a retry backoff ({@link #BACKOFF_MINUTES} minutes, attempt 1, the error kept). To the claim
 * index both are the same kind of row: READY, same queue and priority, {@code run_at} in the future.
 * None becomes due during a run. Written with multi-row {@code INSERT … SELECT}s over a digits
 * table in chunks of {@value #CHUNK} jobs, one short transaction each, in a UTC session as
 * Conveyor writes its times. Their submission events are left out: no claim reads them.
 */
final class BacklogPreload {
    static final String SCHEDULED_TYPE = "w5-scheduled";
    static final String BACKOFF_TYPE = "w5-backoff";
    static final int BACKOFF_MINUTES = 30;
    private static final int CHUNK = 100_000;
    private static final Logger log = LoggerFactory.getLogger(BacklogPreload.class);

    private static final String INSERT_JOBS = """
            INSERT INTO job (queue, type, state, priority, run_at, attempt, max_attempts, last_error, created_at)
            SELECT ?, ?, 'READY', 0, TIMESTAMPADD(MINUTE, ?, NOW(6)), ?, 5, ?, NOW(6)
            FROM bench_digits a CROSS JOIN bench_digits b
            WHERE a.d < ? AND a.d * 1000 + b.d < ?""";

    private BacklogPreload() {
    }

    /** Inserts {@code scheduled} jobs an hour ahead and {@code backoff} jobs in a retry backoff into {@code queue}. */
    static void preload(ConveyorDatabase db, String queue, int scheduled, int backoff) throws SQLException {
        long start = System.nanoTime();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            s.execute("CREATE TABLE bench_digits (d INT NOT NULL PRIMARY KEY) ENGINE = InnoDB");
            try {
                s.execute("INSERT INTO bench_digits (d) VALUES "
                        + String.join(",", IntStream.range(0, 1000).mapToObj(i -> "(" + i + ")").toList()));
                insert(c, queue, SCHEDULED_TYPE, 60, 0, null, scheduled);
                insert(c, queue, BACKOFF_TYPE, BACKOFF_MINUTES, 1, "bench: a failed first attempt", backoff);
            } finally {
                s.execute("DROP TABLE bench_digits");
            }
        }
        log.info("W5 backlog of {} scheduled and {} backing-off jobs preloaded in {} s", scheduled, backoff,
                (System.nanoTime() - start) / 1_000_000_000);
    }

    private static void insert(Connection c, String queue, String type, int minutesAhead, int attempt, String error,
            int jobs) throws SQLException {
        for (int from = 0; from < jobs; from += CHUNK) {
            int rows = Math.min(CHUNK, jobs - from);
            try (PreparedStatement ps = c.prepareStatement(INSERT_JOBS)) {
                ps.setString(1, queue);
                ps.setString(2, type);
                ps.setInt(3, minutesAhead);
                ps.setInt(4, attempt);
                ps.setString(5, error);
                ps.setInt(6, (rows + 999) / 1000);
                ps.setInt(7, rows);
                ps.executeUpdate();
            }
            log.info("W5 backlog: {} of {} {} jobs", from + rows, jobs, type);
        }
    }
}
