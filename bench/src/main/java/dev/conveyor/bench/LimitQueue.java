package dev.conveyor.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The "limit" of BENCHMARK.md: the least a SKIP LOCKED queue on this server can do, in raw JDBC.
 * One table with the claim index, claims of B jobs as {@code SELECT … ORDER BY … LIMIT B FOR
 * UPDATE SKIP LOCKED} plus one {@code UPDATE … WHERE id IN (…)} in one READ COMMITTED
 * transaction, completion of the batch by one {@code UPDATE} or {@code DELETE}; no ORM, no lease
 * fencing, no events. With {@code record}, the completing transaction also inserts one row per job
 * into {@code execution_log}, the work Conveyor's {@code record} job type does.
 */
final class LimitQueue {
    private static final String CREATE_JOB = """
            CREATE TABLE job (
                id          BIGINT        NOT NULL AUTO_INCREMENT,
                queue       VARCHAR(64)   NOT NULL,
                state       VARCHAR(16)   NOT NULL,
                priority    INT           NOT NULL DEFAULT 0,
                run_at      DATETIME(6)   NOT NULL,
                payload     VARBINARY(255) NULL,
                created_at  DATETIME(6)   NOT NULL,
                claimed_at  DATETIME(6)   NULL,
                finished_at DATETIME(6)   NULL,
                PRIMARY KEY (id),
                KEY ix_job_claim (queue, state, priority, run_at, id)
            ) ENGINE = InnoDB""";
    private static final String CREATE_LOG = """
            CREATE TABLE execution_log (
                id     BIGINT NOT NULL AUTO_INCREMENT,
                job_id BIGINT NOT NULL,
                PRIMARY KEY (id),
                KEY ix_execution_log_job (job_id)
            ) ENGINE = InnoDB""";
    private static final String INSERT_ONE =
            "INSERT INTO job (queue, state, run_at, created_at) VALUES (?, 'READY', NOW(6), NOW(6))";
    private static final String INSERT_ROW = "(?, 'READY', NOW(6), NOW(6))";
    private static final String CLAIM = """
            SELECT id FROM job WHERE queue = ? AND state = 'READY' AND run_at <= NOW(6)
            ORDER BY priority, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED""";

    /** How a claimed batch is finished: marked done, or removed. */
    enum Completion {
        UPDATE, DELETE
    }

    /**
     * How workers run.
     *
     * @param batch      jobs per claim (B)
     * @param record     also insert execution_log rows in the completing transaction
     * @param idlePoll   how long a worker waits after an empty claim; zero to claim again at once
     */
    record Workers(int threads, int batch, Completion completion, boolean record, Duration idlePoll) {
        Workers {
            if (threads < 1 || batch < 1) {
                throw new IllegalArgumentException("threads and batch must be positive");
            }
        }
    }

    /** What a run of workers did: how long it took, and how often each job ran. */
    record Drained(long nanos, Map<Long, Integer> executions) {
    }

    private final DatabaseServer server;
    private final String database;

    LimitQueue(DatabaseServer server, String database) {
        this.server = server;
        this.database = database;
    }

    void createSchema() throws SQLException {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            s.execute(CREATE_JOB);
            s.execute(CREATE_LOG);
        }
    }

    void truncate() throws SQLException {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            s.execute("TRUNCATE TABLE job");
            s.execute("TRUNCATE TABLE execution_log");
        }
    }

    /** Inserts n jobs, one per transaction, from {@code threads} connections; returns the nanoseconds. */
    long enqueueOneByOne(String queue, int n, int threads) throws InterruptedException {
        return Parallel.run(threads, n, () -> {
            Connection c = server.connect(database);
            PreparedStatement ps = c.prepareStatement(INSERT_ONE);
            return new Parallel.Worker() {
                @Override
                public void run(int index) throws SQLException {
                    ps.setString(1, queue);
                    ps.executeUpdate();
                }

                @Override
                public void close() throws SQLException {
                    c.close();
                }
            };
        });
    }

    /** Inserts n jobs as multi-row INSERTs of {@code perStatement} rows; returns the nanoseconds. */
    long enqueueBatched(String queue, int n, int threads, int perStatement) throws InterruptedException {
        int statements = (n + perStatement - 1) / perStatement;
        return Parallel.run(threads, statements, () -> {
            Connection c = server.connect(database);
            return new Parallel.Worker() {
                @Override
                public void run(int index) throws SQLException {
                    int rows = Math.min(perStatement, n - index * perStatement);
                    String sql = "INSERT INTO job (queue, state, run_at, created_at) VALUES "
                            + String.join(", ", Collections.nCopies(rows, INSERT_ROW));
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = 1; i <= rows; i++) {
                            ps.setString(i, queue);
                        }
                        ps.executeUpdate();
                    }
                }

                @Override
                public void close() throws SQLException {
                    c.close();
                }
            };
        });
    }

    /**
     * Runs workers until {@code done} says so, and returns the nanoseconds from their common
     * start to the last one's exit (its last completion) with every job's execution count.
     */
    Drained work(String queue, Workers workers, BooleanSupplier done, AtomicInteger claimed)
            throws InterruptedException {
        Map<Long, Integer> executions = new ConcurrentHashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(workers.threads());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < workers.threads(); t++) {
            threads.add(Thread.ofPlatform().name("limit-worker-" + t).start(() -> {
                Connection c;
                try {
                    c = server.connect(database);
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    c.setAutoCommit(false);
                } catch (SQLException e) {
                    failure.compareAndSet(null, e);
                    return;
                } finally {
                    ready.countDown();
                }
                try (c) {
                    go.await();
                    while (!done.getAsBoolean() && failure.get() == null) {
                        List<Long> ids = retryingDeadlocks(c, () -> claim(c, queue, workers.batch()));
                        if (ids.isEmpty()) {
                            idle(workers.idlePoll());
                            continue;
                        }
                        claimed.addAndGet(ids.size());
                        ids.forEach(id -> executions.merge(id, 1, Integer::sum));
                        retryingDeadlocks(c, () -> {
                            complete(c, ids, workers);
                            return null;
                        });
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long nanos = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new BenchException("a limit worker failed: " + failure.get(), failure.get());
        }
        return new Drained(nanos, executions);
    }

    /** Jobs of {@code queue} not yet finished: READY or RUNNING rows. */
    long unfinished(String queue) throws SQLException {
        return queryLong("SELECT COUNT(*) FROM job WHERE queue = ? AND state IN ('READY', 'RUNNING')", queue);
    }

    /** Milliseconds from insert to claim of every claimed job of {@code queue}, by the database's clock. */
    List<Double> claimLatenciesMillis(String queue) throws SQLException {
        List<Double> millis = new ArrayList<>();
        try (Connection c = server.connect(database);
                PreparedStatement ps = c.prepareStatement("SELECT TIMESTAMPDIFF(MICROSECOND, created_at, claimed_at) "
                        + "FROM job WHERE queue = ? AND claimed_at IS NOT NULL")) {
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    millis.add(rs.getLong(1) / 1000.0);
                }
            }
        }
        return millis;
    }

    /** Inserts one job now, in its own transaction. */
    void enqueueOne(Connection c, String queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_ONE)) {
            ps.setString(1, queue);
            ps.executeUpdate();
        }
    }

    Connection connect() throws SQLException {
        return server.connect(database);
    }

    @FunctionalInterface
    private interface SqlStep<T> {
        T run() throws SQLException;
    }

    /**
     * Runs one transaction again after a deadlock (InnoDB rolled it back), as any real queue
     * must: the DELETE completion with B = 50 meets them under load.
     */
    private static <T> T retryingDeadlocks(Connection c, SqlStep<T> step) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.run();
            } catch (SQLException e) {
                c.rollback();
                if (!"40001".equals(e.getSQLState()) || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    private static List<Long> claim(Connection c, String queue, int batch) throws SQLException {
        List<Long> ids = new ArrayList<>(batch);
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, queue);
            ps.setInt(2, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            c.commit();
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE job SET state = 'RUNNING', claimed_at = NOW(6) WHERE id IN (" + marks(ids.size()) + ")")) {
            bind(ps, ids, 1);
            ps.executeUpdate();
        }
        c.commit();
        return ids;
    }

    private static void complete(Connection c, List<Long> ids, Workers workers) throws SQLException {
        String sql = workers.completion() == Completion.DELETE
                ? "DELETE FROM job WHERE id IN (" + marks(ids.size()) + ")"
                : "UPDATE job SET state = 'DONE', finished_at = NOW(6) WHERE id IN (" + marks(ids.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, ids, 1);
            ps.executeUpdate();
        }
        if (workers.record()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO execution_log (job_id) VALUES "
                    + String.join(", ", Collections.nCopies(ids.size(), "(?)")))) {
                bind(ps, ids, 1);
                ps.executeUpdate();
            }
        }
        c.commit();
    }

    private static void idle(Duration poll) throws InterruptedException {
        if (poll.isZero()) {
            Thread.onSpinWait();
        } else {
            Thread.sleep(poll);
        }
    }

    private long queryLong(String sql, String arg) throws SQLException {
        try (Connection c = server.connect(database); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static void bind(PreparedStatement ps, List<Long> ids, int from) throws SQLException {
        for (int i = 0; i < ids.size(); i++) {
            ps.setLong(from + i, ids.get(i));
        }
    }
}
