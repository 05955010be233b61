package dev.conveyor.server.cli;

import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.server.Families;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How to reach the database, from flags or environment variables. The password is never a flag
 * (flags show in {@code ps} and shell history): it comes from {@code CONVEYOR_DB_PASSWORD} or
 * from a file named by {@code --db-password-file} / {@code CONVEYOR_DB_PASSWORD_FILE}.
 */
final class DbOptions {
    static final String PASSWORD_ENV = "CONVEYOR_DB_PASSWORD";

    @Option(names = "--db-url", paramLabel = "JDBC_URL", defaultValue = "${env:CONVEYOR_DB_URL}",
            description = "jdbc:mysql://host:3306/db (env CONVEYOR_DB_URL).")
    String url;

    @Option(names = "--db-user", defaultValue = "${env:CONVEYOR_DB_USER}", description = "Env CONVEYOR_DB_USER.")
    String user;

    @Option(names = "--db-password-file", paramLabel = "PATH", defaultValue = "${env:CONVEYOR_DB_PASSWORD_FILE}",
            description = "A file holding the password (env CONVEYOR_DB_PASSWORD_FILE); "
                    + "else env CONVEYOR_DB_PASSWORD.")
    Path passwordFile;

    @Option(names = "--db-pool-size", defaultValue = "${env:CONVEYOR_DB_POOL_SIZE:-10}",
            description = "Connections in the pool (env CONVEYOR_DB_POOL_SIZE; default: ${DEFAULT-VALUE}).")
    int poolSize;

    /** Empty when no URL was given. */
    Optional<DatabaseConfig> config(boolean migrate) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Families.withFamilies(DatabaseConfig.of(url, user, password()))
                .withPoolSize(poolSize).withMigrate(migrate));
    }

    private String password() {
        if (passwordFile == null) {
            return System.getenv(PASSWORD_ENV);
        }
        try {
            return Files.readString(passwordFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the database password file " + passwordFile, e);
        }
    }
}
