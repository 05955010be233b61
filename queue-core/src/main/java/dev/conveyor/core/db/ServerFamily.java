package dev.conveyor.core.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database server behind the URL, detected from {@code SELECT VERSION()}: through MySQL
 * Connector/J a MariaDB reports itself as MySQL "5.5.5-10.11…" in the driver metadata, so the
 * metadata cannot tell them apart. The differences that matter to Conveyor live here.
 */
public record ServerFamily(Kind kind, int major, int minor, String version) {

    public enum Kind { MYSQL, MARIADB }

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    public static ServerFamily detect(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            return parse(rs.getString(1));
        }
    }

    static ServerFamily parse(String version) {
        String v = version.startsWith("5.5.5-") ? version.substring(6) : version;
        Kind kind = version.toLowerCase().contains("mariadb") ? Kind.MARIADB : Kind.MYSQL;
        Matcher m = VERSION.matcher(v);
        if (!m.find()) {
            throw new IllegalStateException("cannot read the server version from '" + version + "'");
        }
        return new ServerFamily(kind, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), version);
    }

    /** SKIP LOCKED and the rest of the claim need MySQL 8.0.1+ or MariaDB 10.6+. */
    public void requireSupported() {
        boolean ok = kind == Kind.MYSQL ? major >= 8 : (major > 10 || (major == 10 && minor >= 6));
        if (!ok) {
            throw new IllegalStateException("Conveyor needs MySQL 8.0+ or MariaDB 10.6+, found " + version);
        }
    }

    /**
     * Whether {@code INSERT … RETURNING} exists (MariaDB 10.5+): the ids and times of a multi-row
     * insert then come back with it, in the order of its VALUES list. MySQL has no RETURNING.
     */
    public boolean supportsInsertReturning() {
        return kind == Kind.MARIADB && (major > 10 || (major == 10 && minor >= 5));
    }

    /**
     * The statement that bounds a pooled session (run once per connection, by the pool): how long
     * it waits for a row lock, how long the server keeps writing to a client that reads nothing,
     * and how long it keeps a session idle inside a transaction, so that a vanished client's locks
     * are released (see {@link ConnectionBounds}).
     *
     * <p>MariaDB ends a session idle in a transaction after {@code idle_transaction_timeout}.
     * MySQL 8 has no such limit: its nearest, used here, is the session's {@code wait_timeout},
     * which ends a session idle that long whether or not a transaction is open. A pooled
     * connection left idle longer than that is therefore closed by the server and replaced by
     * the pool when next lent (Hikari checks a connection idle for more than 500 ms first): more
     * reconnections on a quiet pool, no error.
     */
    public String sessionBoundsSql(ConnectionBounds bounds) {
        long lockWait = bounds.lockWaitTimeout().toSeconds();
        long idle = bounds.idleTransactionTimeout().toSeconds();
        return "SET SESSION innodb_lock_wait_timeout = " + lockWait + ", net_write_timeout = " + lockWait + ", "
                + (kind == Kind.MARIADB ? "idle_transaction_timeout = " : "wait_timeout = ") + idle;
    }

    /**
     * Tells Hibernate the real server. Without it Hibernate takes MariaDB for MySQL 5.5 and, in
     * later versions, emits {@code for update of t skip locked}, which MariaDB rejects. The
     * versions must be strings.
     */
    public Map<String, Object> hibernateSettings() {
        return Map.of(
                "jakarta.persistence.database-product-name", kind == Kind.MARIADB ? "MariaDB" : "MySQL",
                "jakarta.persistence.database-major-version", Integer.toString(major),
                "jakarta.persistence.database-minor-version", Integer.toString(minor));
    }

    @Override
    public String toString() {
        return (kind == Kind.MARIADB ? "MariaDB " : "MySQL ") + major + "." + minor + " (" + version + ")";
    }
}
