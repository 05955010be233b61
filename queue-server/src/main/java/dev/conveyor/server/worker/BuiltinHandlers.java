package dev.conveyor.server.worker;

import dev.conveyor.core.Outcome;
import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.HandlerProvider;
import dev.conveyor.worker.JobContext;
import dev.conveyor.worker.JobHandler;
import dev.conveyor.worker.NonRetryableException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * Job types every worker serves, for operators' smoke tests, crash tests and the benchmark
 * ({@code noop} and {@code echo} come with {@link dev.conveyor.server.TourHandlers}):
 * <ul>
 *   <li>{@value #SLEEP}: sleeps the payload's milliseconds (decimal text), then succeeds;
 *   <li>{@value #FAIL}: always fails, retryably;
 *   <li>{@value #RECORD}: sleeps the payload's milliseconds if any, then succeeds and, in the
 *       transaction that completes the job, inserts {@code (job_id, attempt, worker)} into
 *       {@value #LOG_TABLE}: a row exists exactly when an execution's completion committed, which
 *       is how tests and the benchmark count executions.
 * </ul>
 */
public final class BuiltinHandlers implements HandlerProvider {
    public static final String SLEEP = "sleep";
    public static final String FAIL = "fail";
    public static final String RECORD = "record";
    public static final String LOG_TABLE = "job_execution_log";
    private static final Duration MAX_SLEEP = Duration.ofHours(1);

    private static final String CREATE_LOG = """
            CREATE TABLE IF NOT EXISTS job_execution_log (
                job_id      BIGINT       NOT NULL,
                attempt     INT          NOT NULL,
                worker      VARCHAR(128) NOT NULL,
                recorded_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                PRIMARY KEY (job_id, attempt)
            ) ENGINE = InnoDB""";
    private static final String INSERT_LOG = "INSERT INTO job_execution_log (job_id, attempt, worker) VALUES (?, ?, ?)";

    @Override
    public Map<String, JobHandler> handlers(HandlerContext context) {
        createLogTable(context);
        return Map.of(
                SLEEP, ctx -> {
                    Thread.sleep(millis(ctx));
                    return Outcome.succeeded();
                },
                FAIL, ctx -> {
                    throw new IllegalStateException("job type 'fail' always fails (attempt " + ctx.attempt() + ")");
                },
                RECORD, ctx -> {
                    Thread.sleep(millis(ctx));
                    return Outcome.succeeded(null, connection -> insertLogRow(connection, ctx));
                });
    }

    private static void insertLogRow(Connection connection, JobContext ctx) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT_LOG)) {
            ps.setLong(1, ctx.jobId());
            ps.setInt(2, ctx.attempt());
            ps.setString(3, ctx.worker());
            ps.executeUpdate();
        }
    }

    private static void createLogTable(HandlerContext context) {
        try (Connection c = context.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(CREATE_LOG);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create " + LOG_TABLE + " for the 'record' job type: "
                    + e.getMessage(), e);
        }
    }

    /** The payload as milliseconds; an empty payload is zero. */
    private static Duration millis(JobContext ctx) {
        byte[] payload = ctx.payload();
        String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            Duration d = Duration.ofMillis(Long.parseLong(text));
            if (d.isNegative() || d.compareTo(MAX_SLEEP) > 0) {
                throw new NonRetryableException("payload must be milliseconds in [0, " + MAX_SLEEP.toMillis()
                        + "], was " + text);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new NonRetryableException("payload must be milliseconds as decimal text, was '"
                    + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
        }
    }
}
