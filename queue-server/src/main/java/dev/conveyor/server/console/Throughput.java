package dev.conveyor.server.console;

import dev.conveyor.core.StoreUnavailableException;
import dev.conveyor.core.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Jobs finished in the last minute, per queue: what every server and worker daemon completed,
 * which the in-process Micrometer counters cannot tell. One range read on {@code ix_job_finished},
 * proportional to a minute's completions.
 */
final class Throughput {
    /** The finished states as they count for throughput: done, and failed for good. */
    public record PerMinute(long succeeded, long dead) {
    }

    private static final String LAST_MINUTE = """
            SELECT queue, state, COUNT(*)
              FROM job
             WHERE finished_at >= NOW(6) - INTERVAL 60 SECOND
               AND state IN ('SUCCEEDED', 'DEAD')
             GROUP BY queue, state
            """;

    private final Database database;

    Throughput(Database database) {
        this.database = database;
    }

    Map<String, PerMinute> lastMinute() {
        Map<String, long[]> counts = new HashMap<>();
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(LAST_MINUTE);
                ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                long[] pair = counts.computeIfAbsent(rows.getString(1), q -> new long[2]);
                pair[rows.getString(2).equals("SUCCEEDED") ? 0 : 1] = rows.getLong(3);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the queues' throughput: " + e.getMessage(), e);
        }
        Map<String, PerMinute> out = new HashMap<>();
        counts.forEach((queue, pair) -> out.put(queue, new PerMinute(pair[0], pair[1])));
        return out;
    }
}
