package dev.conveyor.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.conveyor.core.SchemaMismatchException;
import dev.conveyor.core.StoreUnavailableException;
import dev.conveyor.core.entity.Job;
import dev.conveyor.core.entity.JobEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.tool.schema.spi.SchemaManagementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, the schema check and the Hibernate session factory, opened together.
 *
 * <p>Opening refuses to return unless the schema is the one the code expects: Flyway validates
 * (or migrates, when configured) its history, then Hibernate validates every mapped table and
 * column ({@code hbm2ddl=validate}). A mismatch is a {@link SchemaMismatchException} that says
 * what differs.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** Connector/J properties Conveyor relies on; added to the URL unless the user set them. */
    private static final Map<String, String> DRIVER_PROPERTIES = Map.of(
            // All times are UTC, on the wire and in NOW(6): the database clock is the only clock.
            "connectionTimeZone", "UTC",
            "forceConnectionTimeZoneToSession", "true",
            // Batched UPDATEs and INSERTs become one round trip.
            "rewriteBatchedStatements", "true",
            // Each connection keeps the parse of its statements; the hot path's are longer than the
            // driver's default limit of 256 characters, and were parsed again on every call. A group
            // commit's INSERT of up to 255 rows (GroupCommit) is about 60,000 characters.
            "cachePrepStmts", "true",
            "prepStmtCacheSize", "512",
            "prepStmtCacheSqlLimit", "262144",
            "allowPublicKeyRetrieval", "true",
            "tcpKeepAlive", "true",
            // Autocommit, isolation and read-only answered from the driver's own state, not by a
            // round trip: nothing here changes them behind the driver's back with SQL.
            "useLocalSessionState", "true",
            // Jobs are traced, statements are not: a span per statement cost CPU on every claim.
            "openTelemetry", "DISABLED");

    private final DatabaseConfig config;
    private final HikariDataSource dataSource;
    private final ServerFamily family;
    private final SessionFactory sessionFactory;

    private Database(DatabaseConfig config, HikariDataSource dataSource, ServerFamily family,
            SessionFactory sessionFactory) {
        this.config = config;
        this.dataSource = dataSource;
        this.family = family;
        this.sessionFactory = sessionFactory;
    }

    public static Database open(DatabaseConfig config) {
        // The server is asked first, on a connection of its own: the pool's session bounds depend on
        // its family, and its keepalive and lifetime on the server's wait_timeout.
        ServerFamily family;
        Duration serverWaitTimeout;
        try (Connection c = probeConnection(config); Statement s = c.createStatement()) {
            family = ServerFamily.detect(c);
            try (ResultSet rs = s.executeQuery("SELECT @@global.wait_timeout")) {
                rs.next();
                serverWaitTimeout = Duration.ofSeconds(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot reach the database at "
                    + DatabaseConfig.redact(config.jdbcUrl()) + ": " + e.getMessage(), e);
        }
        family.requireSupported();
        ConnectionBounds bounds = config.bounds().within(serverWaitTimeout);
        if (!bounds.equals(config.bounds())) {
            log.info("db keepalive {} and max lifetime {} lowered below the server's wait_timeout of {}",
                    bounds.keepalive(), bounds.maxLifetime(), serverWaitTimeout);
        }
        HikariDataSource ds = dataSource(config, family, bounds);
        try {
            checkFlyway(config);
            SessionFactory sf = sessionFactory(config, ds, family);
            log.info("database ready: {} at {}, schema valid", family, DatabaseConfig.redact(config.jdbcUrl()));
            return new Database(config, ds, family, sf);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * {@code url} with Conveyor's driver properties, a connect timeout and {@code socketTimeout}
     * (Connector/J's limit on waiting for any answer), each unless the URL sets it.
     */
    static String withDriverProperties(String url, Duration socketTimeout, Duration connectTimeout) {
        Map<String, String> properties = new LinkedHashMap<>(DRIVER_PROPERTIES);
        properties.put("socketTimeout", Long.toString(socketTimeout.toMillis()));
        properties.put("connectTimeout", Long.toString(connectTimeout.toMillis()));
        StringBuilder sb = new StringBuilder(url);
        boolean hasQuery = url.contains("?");
        for (var e : properties.entrySet()) {
            if (!url.toLowerCase().contains(e.getKey().toLowerCase() + "=")) {
                sb.append(hasQuery ? '&' : '?').append(e.getKey()).append('=').append(e.getValue());
                hasQuery = true;
            }
        }
        return sb.toString();
    }

    private static Connection probeConnection(DatabaseConfig config) throws SQLException {
        Properties credentials = new Properties();
        if (config.user() != null) {
            credentials.setProperty("user", config.user());
        }
        if (config.password() != null) {
            credentials.setProperty("password", config.password());
        }
        return DriverManager.getConnection(withDriverProperties(config.jdbcUrl(), config.bounds().socketTimeout(),
                config.connectTimeout()), credentials);
    }

    private static HikariDataSource dataSource(DatabaseConfig config, ServerFamily family, ConnectionBounds bounds) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("conveyor-db");
        // Every pooled connection fails a statement unanswered for the socket timeout, and its session
        // is bounded (lock waits, idle transactions) so that its locks die with a vanished client.
        hc.setJdbcUrl(withDriverProperties(config.jdbcUrl(), bounds.socketTimeout(), config.connectTimeout()));
        hc.setConnectionInitSql(family.sessionBoundsSql(bounds));
        hc.setKeepaliveTime(bounds.keepalive().toMillis());
        hc.setMaxLifetime(bounds.maxLifetime().toMillis());
        if (config.user() != null) {
            hc.setUsername(config.user());
        }
        if (config.password() != null) {
            hc.setPassword(config.password());
        }
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(Math.min(2, config.poolSize()));
        hc.setConnectionTimeout(config.connectTimeout().toMillis());
        // Claims must run in READ COMMITTED: no gap locks, so concurrent claimers don't block.
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // Manual commit: every unit of work ends with its own commit (Transactions), so the two
        // `SET autocommit` round trips of switching per transaction are not paid on the hot path.
        hc.setAutoCommit(false);
        // Fail fast at open() with the real cause rather than hanging in the pool.
        hc.setInitializationFailTimeout(config.connectTimeout().toMillis());
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new StoreUnavailableException("cannot reach the database at "
                    + DatabaseConfig.redact(config.jdbcUrl()) + ": " + root.getMessage(), e);
        }
    }

    /**
     * The core's migrations keep Flyway's default history table; each family's location keeps
     * its own ({@code flyway_history_<last path segment>}), so that a core migration added later
     * never lands "out of order" behind a family's.
     */
    private static List<Flyway> flyways(DatabaseConfig config) {
        // Flyway gets connections of its own, in autocommit mode as it expects: the pool's are not.
        // A migration may run long (an index on a big table): the long statement timeout, and no
        // session bounds (its DDL may wait for metadata locks).
        String url = withDriverProperties(config.jdbcUrl(), config.bounds().longStatementTimeout(),
                config.connectTimeout());
        List<Flyway> all = new ArrayList<>();
        all.add(Flyway.configure(Database.class.getClassLoader()).dataSource(url, config.user(), config.password())
                .locations("classpath:db/migration").validateMigrationNaming(true).load());
        for (String location : config.migrationLocations()) {
            String family = location.substring(location.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9_]", "_");
            all.add(Flyway.configure(Database.class.getClassLoader()).dataSource(url, config.user(), config.password())
                    .locations(location).table("flyway_history_" + family)
                    .baselineOnMigrate(true).baselineVersion("0")
                    .validateMigrationNaming(true).load());
        }
        return all;
    }

    private static void checkFlyway(DatabaseConfig config) {
        try {
            for (Flyway flyway : flyways(config)) {
                if (config.migrate()) {
                    var result = flyway.migrate();
                    if (result.migrationsExecuted > 0) {
                        log.info("applied {} schema migration(s) from {}, now at version {}",
                                result.migrationsExecuted, flyway.getConfiguration().getLocations()[0],
                                result.targetSchemaVersion);
                    }
                } else {
                    flyway.validate();
                }
            }
        } catch (FlywayException e) {
            throw new SchemaMismatchException("the database schema does not match this version of Conveyor ("
                    + (config.migrate() ? "migration failed" : "run `conveyor schema migrate`") + "): "
                    + e.getMessage(), e);
        }
    }

    private static SessionFactory sessionFactory(DatabaseConfig config, DataSource ds, ServerFamily family) {
        Map<String, Object> settings = new HashMap<>(family.hibernateSettings());
        settings.put("hibernate.connection.datasource", ds);
        settings.put("hibernate.connection.provider_disables_autocommit", "true");
        settings.put("hibernate.hbm2ddl.auto", "validate");
        settings.put("hibernate.jdbc.time_zone", "UTC");
        settings.put("hibernate.jdbc.batch_size", "50");
        settings.put("hibernate.order_inserts", "true");
        settings.put("hibernate.show_sql", "false");
        // The dialect comes from ServerFamily, not from driver metadata: Connector/J takes MariaDB 11
        // (which no longer reports "5.5.5-") for MySQL 8 and asks it for metadata it does not have.
        settings.put("hibernate.boot.allow_jdbc_metadata_access", "false");
        // Without metadata, validation must be told which database is ours, or it accepts a `job`
        // table of any database on the server.
        try (Connection c = ds.getConnection()) {
            settings.put("hibernate.default_catalog", c.getCatalog());
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot reach the database: " + e.getMessage(), e);
        }
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder().applySettings(settings).build();
        try {
            MetadataSources sources = new MetadataSources(registry)
                    .addAnnotatedClass(Job.class)
                    .addAnnotatedClass(JobEvent.class);
            config.entityClasses().forEach(sources::addAnnotatedClass);
            return sources.buildMetadata().buildSessionFactory();
        } catch (SchemaManagementException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw new SchemaMismatchException("the database schema does not match the mapped entities: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            Throwable c = e;
            while (c != null) {
                if (c instanceof SchemaManagementException sme) {
                    throw new SchemaMismatchException("the database schema does not match the mapped entities: "
                            + sme.getMessage(), e);
                }
                c = c.getCause();
            }
            throw e;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public SessionFactory sessionFactory() {
        return sessionFactory;
    }

    public ServerFamily family() {
        return family;
    }

    public DatabaseConfig config() {
        return config;
    }

    /** True when a connection can be had and answers; for readiness probes. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            sessionFactory.close();
        } finally {
            dataSource.close();
        }
    }
}
