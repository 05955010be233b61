package dev.conveyor.core.testing;

import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One test class's own database, empty until something opens it: {@link #open()} migrates it.
 * Everything opened here is closed, and the database dropped, after the class. The query helpers
 * are for assertions and setup; each takes a connection of its own and commits at once.
 */
public final class TestDb {
    private final TestServer server;
    private final String name;
    private final List<Database> opened = new ArrayList<>();
    private Database shared;

    private TestDb(TestServer server, String name) {
        this.server = server;
        this.name = name;
    }

    static TestDb create(TestServer server) {
        String name = "cv_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try (Connection c = server.connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + server.description()
                    + ": " + e.getMessage(), e);
        }
        return new TestDb(server, name);
    }

    /** The database's name, {@code cv_} and eight hex digits. */
    public String name() {
        return name;
    }

    /** The URL of this class's database, without user or password. */
    public String jdbcUrl() {
        return server.urlFor(name);
    }

    public String user() {
        return server.user();
    }

    /** Null when the server needs none. */
    public String password() {
        return server.password();
    }

    /** Production's configuration for this database, migrating at open. */
    public DatabaseConfig config() {
        return DatabaseConfig.of(jdbcUrl(), user(), password());
    }

    /** The class's migrated {@link Database}, opened on first call and shared by its tests. */
    public synchronized Database open() {
        if (shared == null) {
            shared = openFresh();
        }
        return shared;
    }

    /** A further {@link Database} with its own pool, as a second process would have. */
    public synchronized Database openFresh() {
        Database db = Database.open(config());
        opened.add(db);
        return db;
    }

    /** A new connection to this database in UTC; the caller closes it. */
    public Connection newConnection() throws SQLException {
        return server.connect(name);
    }

    /** The single {@code long} a query returns, e.g. a {@code COUNT(*)}. */
    public long queryLong(String sql, Object... args) {
        List<Object> values = queryList(sql, args);
        if (values.size() != 1 || !(values.get(0) instanceof Number n)) {
            throw new AssertionError("expected one number from `" + sql + "`, got " + values);
        }
        return n.longValue();
    }

    /** The first column of every row, in order. */
    public List<Object> queryList(String sql, Object... args) {
        return queryRows(sql, args).stream().map(row -> row.values().iterator().next()).toList();
    }

    /** Every row as column label → value, in order. */
    public List<Map<String, Object>> queryRows(String sql, Object... args) {
        try (Connection c = newConnection(); PreparedStatement ps = prepare(c, sql, args);
                ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs an INSERT, UPDATE, DELETE or DDL statement; returns the rows it changed. */
    public int update(String sql, Object... args) {
        try (Connection c = newConnection(); PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("update failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    synchronized void close() {
        RuntimeException failure = null;
        for (Database db : opened) {
            try {
                db.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        opened.clear();
        shared = null;
        try (Connection c = server.connect(""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "TestDb[" + name + " on " + server.description() + "]";
    }
}
