package dev.conveyor.server.cli;

import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.server.Families;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How to reach the database ({@link DbConnectionOptions}) and how many connections to keep, for the server and {@code schema}. */
final class DbOptions {
    @Mixin
    DbConnectionOptions connection;

    @Option(names = "--db-pool-size", defaultValue = "${env:CONVEYOR_DB_POOL_SIZE:-10}",
            description = "Connections in the pool (env CONVEYOR_DB_POOL_SIZE; default: ${DEFAULT-VALUE}).")
    int poolSize;

    /** Empty when no URL was given. */
    Optional<DatabaseConfig> config(boolean migrate) {
        if (!connection.given()) {
            return Optional.empty();
        }
        return Optional.of(Families.withFamilies(connection.config()).withPoolSize(poolSize).withMigrate(migrate));
    }

    /** Opens {@code config}; a refused password is a usage error naming the flags to check. */
    Database open(DatabaseConfig config) {
        try {
            return Database.open(config);
        } catch (RuntimeException e) {
            throw connection.explain(e);
        }
    }
}
