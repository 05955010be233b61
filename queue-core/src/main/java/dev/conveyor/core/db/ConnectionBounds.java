package dev.conveyor.core.db;

import java.time.Duration;

/**
 * How long a connection, a session and a statement may go unanswered, so that a client that
 * vanished (its host lost power, or its path to the database went half-open) cannot keep row
 * locks for longer than a lease. Without these bounds the server keeps such a session, and its
 * locks, until {@code wait_timeout} (8 hours by default), and SKIP LOCKED claimers and the reaper
 * skip its rows all that time.
 *
 * <p>The rows of a vanished client are free after at most {@link #recoveryBound()}: a statement
 * waiting for a lock gives up after {@code lockWaitTimeout}, then the session, idle in its
 * transaction, is ended by the server after {@code idleTransactionTimeout} (MariaDB's
 * {@code idle_transaction_timeout}; MySQL 8 has no such limit and gets {@code wait_timeout}
 * instead, see {@link ServerFamily#sessionBoundsSql}). Both must stay below the shortest lease.
 *
 * @param socketTimeout          the client's limit on waiting for any answer (Connector/J
 *                               {@code socketTimeout}) on pooled connections: a worker whose path
 *                               went half-open gets an error, not a hang; above
 *                               {@code lockWaitTimeout}, so that a lock wait ends with the
 *                               server's retryable error, not a lost connection
 * @param lockWaitTimeout        the session's {@code innodb_lock_wait_timeout}
 * @param idleTransactionTimeout the server ends a session idle this long inside a transaction
 * @param keepalive              Hikari pings idle pooled connections this often, so that network
 *                               devices and the server keep them (at least 30 s, Hikari's floor)
 * @param maxLifetime            Hikari replaces every connection after this long; kept below the
 *                               server's {@code wait_timeout} at open
 * @param longStatementTimeout   the socket timeout of the few connections whose statements may
 *                               legitimately run long: schema migrations (Flyway's own connections)
 *                               and retention's deletes
 */
public record ConnectionBounds(
        Duration socketTimeout,
        Duration lockWaitTimeout,
        Duration idleTransactionTimeout,
        Duration keepalive,
        Duration maxLifetime,
        Duration longStatementTimeout) {

    /** Hikari refuses (disables) a keepalive below this; declared before {@link #DEFAULTS}, which uses it. */
    static final Duration MIN_KEEPALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_LOCK_WAIT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TRANSACTION_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(15);
    public static final Duration DEFAULT_LONG_STATEMENT_TIMEOUT = Duration.ofMinutes(30);
    /** Recovery within the default lease of 15 s: rows of a vanished client are free after 10 s. */
    public static final ConnectionBounds DEFAULTS = new ConnectionBounds(DEFAULT_SOCKET_TIMEOUT,
            DEFAULT_LOCK_WAIT_TIMEOUT, DEFAULT_IDLE_TRANSACTION_TIMEOUT, DEFAULT_KEEPALIVE, DEFAULT_MAX_LIFETIME,
            DEFAULT_LONG_STATEMENT_TIMEOUT);

    public ConnectionBounds {
        requireWholeSeconds("db lock wait timeout", lockWaitTimeout);
        requireWholeSeconds("db idle transaction timeout", idleTransactionTimeout);
        if (socketTimeout == null || socketTimeout.compareTo(lockWaitTimeout) <= 0) {
            throw new IllegalArgumentException("db socket timeout must be longer than the db lock wait timeout ("
                    + lockWaitTimeout + "), was " + socketTimeout);
        }
        if (keepalive == null || keepalive.compareTo(MIN_KEEPALIVE) < 0) {
            throw new IllegalArgumentException("db keepalive must be at least " + MIN_KEEPALIVE + ", was "
                    + keepalive);
        }
        if (maxLifetime == null || maxLifetime.compareTo(keepalive) <= 0) {
            throw new IllegalArgumentException("db max lifetime must be longer than the db keepalive (" + keepalive
                    + "), was " + maxLifetime);
        }
        if (longStatementTimeout == null || longStatementTimeout.compareTo(socketTimeout) < 0) {
            throw new IllegalArgumentException("db long statement timeout must be at least the db socket timeout ("
                    + socketTimeout + "), was " + longStatementTimeout);
        }
    }

    private static void requireWholeSeconds(String field, Duration d) {
        if (d == null || d.compareTo(Duration.ofSeconds(1)) < 0 || d.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(field + " must be a whole number of seconds, at least 1 s (the "
                    + "server counts it in seconds), was " + d);
        }
    }

    /** The three limits of a vanished client's sessions; keepalive and lifetimes stay as they are. */
    public static ConnectionBounds of(Duration socketTimeout, Duration lockWaitTimeout,
            Duration idleTransactionTimeout) {
        return new ConnectionBounds(socketTimeout, lockWaitTimeout, idleTransactionTimeout, DEFAULT_KEEPALIVE,
                DEFAULT_MAX_LIFETIME, DEFAULT_LONG_STATEMENT_TIMEOUT.compareTo(socketTimeout) < 0 ? socketTimeout
                        : DEFAULT_LONG_STATEMENT_TIMEOUT);
    }

    /** The longest a vanished client's row locks outlive it: a lock wait, then an idle transaction. */
    public Duration recoveryBound() {
        return lockWaitTimeout.plus(idleTransactionTimeout);
    }

    /** Whether a lease of {@code lease} outlasts these bounds (see {@link #requireShorterThan}). */
    public boolean outlastedBy(Duration lease) {
        return socketTimeout.compareTo(lease) < 0 && recoveryBound().compareTo(lease) < 0;
    }

    /**
     * Checks that a lease of {@code lease} outlasts these bounds, so that a vanished client's rows
     * are free before its leases expire and a half-open connection fails before the lease does.
     *
     * @throws IllegalArgumentException naming the bound that does not fit
     */
    public void requireShorterThan(Duration lease) {
        if (socketTimeout.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("lease (" + lease + ") must be longer than the db socket timeout ("
                    + socketTimeout + ")");
        }
        if (recoveryBound().compareTo(lease) >= 0) {
            throw new IllegalArgumentException("lease (" + lease + ") must be longer than the db lock wait timeout "
                    + "plus the db idle transaction timeout (" + recoveryBound() + ")");
        }
    }

    /** These bounds with the keepalive and max lifetime lowered below a server's {@code wait_timeout}. */
    ConnectionBounds within(Duration serverWaitTimeout) {
        if (maxLifetime.compareTo(serverWaitTimeout) < 0) {
            return this;
        }
        Duration lifetime = serverWaitTimeout.multipliedBy(3).dividedBy(4);
        Duration ping = keepalive.compareTo(lifetime.dividedBy(2)) < 0 ? keepalive : lifetime.dividedBy(2);
        if (ping.compareTo(MIN_KEEPALIVE) < 0 || lifetime.compareTo(ping) <= 0) {
            throw new IllegalArgumentException("the server's wait_timeout (" + serverWaitTimeout + ") leaves no room "
                    + "for a pool keepalive of at least " + MIN_KEEPALIVE + " below a max lifetime; raise it to 2 min "
                    + "or more");
        }
        return new ConnectionBounds(socketTimeout, lockWaitTimeout, idleTransactionTimeout, ping, lifetime,
                longStatementTimeout);
    }
}
