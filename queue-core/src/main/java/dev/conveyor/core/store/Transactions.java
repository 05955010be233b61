package dev.conveyor.core.store;

import dev.conveyor.core.ConveyorException;
import dev.conveyor.core.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of JDBC work in one short READ COMMITTED transaction, and is the one place where
 * {@link SQLException} becomes a Conveyor exception. Every unit ends with its commit (or
 * rollback): the pool's connections are in manual-commit mode, which saves switching autocommit
 * off and on again, two round trips, around every transaction.
 *
 * <p>Deadlocks (1213) and lock wait timeouts (1205) are retried here, a few times with a short
 * jittered pause, and never reach a caller: the work is therefore written so that running it
 * again from the start is correct (it builds its result afresh each time). Lost connections and
 * an exhausted pool become {@link StoreUnavailableException}.
 */
public final class Transactions {
    private static final Logger log = LoggerFactory.getLogger(Transactions.class);

    static final int MAX_ATTEMPTS = 6;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;
    /**
     * Server shutdown in progress (1053), connection killed (1927, MariaDB; the server kills its
     * clients' connections when it stops), server gone away (2006), lost connection (2013).
     */
    private static final Set<Integer> CONNECTION_LOST_ERRORS = Set.of(1053, 1927, 2006, 2013);

    /** A unit of work; it must not make network calls other than to this database. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    /** Written by any thread that retries; read by metrics. */
    private final AtomicLong retries = new AtomicLong();

    public Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in a transaction, retrying it whole after a deadlock or lock wait timeout. */
    public <T> T inTransaction(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                manualCommit(c);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    throw lostIfClosed(c, e);
                } catch (RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                if (isRetryable(e) && attempt < MAX_ATTEMPTS) {
                    retries.incrementAndGet();
                    log.debug("{}: {} (error {}), retrying (attempt {})", what, e.getMessage(), e.getErrorCode(),
                            attempt + 1);
                    pause(attempt);
                    continue;
                }
                throw translate(what, e);
            }
        }
    }

    /**
     * Runs {@code work} as {@link #inTransaction} does, on a connection that waits up to
     * {@code socketTimeout} for an answer instead of the pool's short socket timeout: for the few
     * statements that may legitimately run long (retention's deletes). The pool puts the usual
     * timeout back when the connection returns.
     */
    public <T> T inLongTransaction(String what, Duration socketTimeout, Work<T> work) {
        return inTransaction(what, c -> {
            c.setNetworkTimeout(Runnable::run, Math.toIntExact(socketTimeout.toMillis()));
            return work.run(c);
        });
    }

    /**
     * Runs {@code work}, single statements that need no transaction of their own (reads, one
     * write): since every unit commits at its end, the same as {@link #inTransaction}, named for
     * what the caller means.
     */
    public <T> T autoCommit(String what, Work<T> work) {
        return inTransaction(what, work);
    }

    /** How many transactions were run again after a deadlock or lock wait timeout. */
    public long retriedTransactions() {
        return retries.get();
    }

    static boolean isRetryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == ER_LOCK_DEADLOCK
                    || s.getErrorCode() == ER_LOCK_WAIT_TIMEOUT || "40001".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    static boolean isDuplicateKey(SQLException e) {
        return e.getErrorCode() == 1062;
    }

    private static RuntimeException translate(String what, SQLException e) {
        if (isConnectionLoss(e)) {
            return new StoreUnavailableException("database unavailable during " + what + ": " + e.getMessage(), e);
        }
        return new ConveyorException("database error during " + what + " (" + e.getErrorCode() + "/"
                + e.getSQLState() + "): " + e.getMessage(), e);
    }

    /**
     * Whether the error says the database could not be reached or went away (network, an
     * exhausted pool, a server shutting down and killing its connections) rather than that the
     * statement was wrong: the caller may then retry later, and the work may or may not have
     * committed.
     */
    static boolean isConnectionLoss(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if ((state != null && state.startsWith("08")) || CONNECTION_LOST_ERRORS.contains(s.getErrorCode())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Once the pool has seen the connection break, it closes it and its statements, and the next
     * call on them fails with words of its own ("no operations allowed after statement closed",
     * no SQL state) instead of the network error: such an error is the connection's loss too.
     */
    private static SQLException lostIfClosed(Connection c, SQLException e) {
        try {
            if (!isConnectionLoss(e) && c.isClosed()) {
                return new SQLTransientConnectionException("connection lost: " + e.getMessage(), "08006", e);
            }
        } catch (SQLException ignored) {
            // isClosed() failing says no more than the error in hand
        }
        return e;
    }

    /**
     * The pool hands out connections in manual-commit mode (Database); this only switches one
     * that came from elsewhere in autocommit mode. No round trip otherwise: the driver answers
     * from its own session state. Nothing switches it back: the pool restores its default.
     */
    private static void manualCommit(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            c.setAutoCommit(false);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the pool discards it and the original error is reported.
        }
    }

    private static void pause(int attempt) {
        long maxMillis = Math.min(200, 5L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, maxMillis + 1));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying a transaction", ie);
        }
    }
}
