package dev.conveyor.core.db;

import java.time.Duration;
import java.util.List;

/**
 * How to reach the database and what schema to expect. Validated once, at construction.
 *
 * @param jdbcUrl            a {@code jdbc:mysql://} URL (MySQL 8.0+ or MariaDB 10.6+); the
 *                           connection properties Conveyor needs are added when absent
 * @param password           never logged, never in {@link #toString()}
 * @param poolSize           connections in the Hikari pool
 * @param migrate            true: apply pending Flyway migrations at startup; false: only validate
 *                           and refuse to start when the schema differs
 * @param entityClasses      entities of job families, mapped beside the core's (JOINED subclasses)
 * @param migrationLocations Flyway locations of job families, beside {@code classpath:db/migration}
 * @param bounds             socket, lock-wait and idle-transaction limits of every connection and
 *                           session, shorter than the shortest lease (see {@link ConnectionBounds})
 */
public record DatabaseConfig(
        String jdbcUrl,
        String user,
        String password,
        int poolSize,
        Duration connectTimeout,
        boolean migrate,
        List<Class<?>> entityClasses,
        List<String> migrationLocations,
        ConnectionBounds bounds) {

    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public DatabaseConfig {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:mysql://")) {
            throw new IllegalArgumentException("db url must start with jdbc:mysql:// (MySQL Connector/J), was "
                    + (jdbcUrl == null ? "nothing" : redact(jdbcUrl)));
        }
        if (poolSize < 1 || poolSize > 500) {
            throw new IllegalArgumentException("db pool size must be in [1, 500], was " + poolSize);
        }
        if (connectTimeout == null || connectTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("db connect timeout must be at least 250 ms");
        }
        entityClasses = entityClasses == null ? List.of() : List.copyOf(entityClasses);
        migrationLocations = migrationLocations == null ? List.of() : List.copyOf(migrationLocations);
        bounds = bounds == null ? ConnectionBounds.DEFAULTS : bounds;
    }

    /** A configuration with the default {@link ConnectionBounds}. */
    public DatabaseConfig(String jdbcUrl, String user, String password, int poolSize, Duration connectTimeout,
            boolean migrate, List<Class<?>> entityClasses, List<String> migrationLocations) {
        this(jdbcUrl, user, password, poolSize, connectTimeout, migrate, entityClasses, migrationLocations,
                ConnectionBounds.DEFAULTS);
    }

    public static DatabaseConfig of(String jdbcUrl, String user, String password) {
        return new DatabaseConfig(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT, true,
                List.of(), List.of());
    }

    public DatabaseConfig withPoolSize(int size) {
        return new DatabaseConfig(jdbcUrl, user, password, size, connectTimeout, migrate, entityClasses,
                migrationLocations, bounds);
    }

    public DatabaseConfig withMigrate(boolean m) {
        return new DatabaseConfig(jdbcUrl, user, password, poolSize, connectTimeout, m, entityClasses,
                migrationLocations, bounds);
    }

    public DatabaseConfig withFamilies(List<Class<?>> entities, List<String> locations) {
        return new DatabaseConfig(jdbcUrl, user, password, poolSize, connectTimeout, migrate, entities, locations,
                bounds);
    }

    public DatabaseConfig withBounds(ConnectionBounds b) {
        return new DatabaseConfig(jdbcUrl, user, password, poolSize, connectTimeout, migrate, entityClasses,
                migrationLocations, b);
    }

    /** The URL with any password parameter masked, for logs and errors. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + redact(jdbcUrl) + ", user=" + user + ", poolSize=" + poolSize
                + ", migrate=" + migrate + ", " + bounds + "]";
    }
}
