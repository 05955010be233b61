package dev.conveyor.server.cli;

import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.server.security.DatabaseTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How to reach the database, for every command that opens it (server, worker, schema): its URL,
 * user, password and TLS. The password is never a flag (flags show in {@code ps} and shell
 * history): it comes from the file {@code --db-password-file} / {@code CONVEYOR_DB_PASSWORD_FILE}
 * names, else from {@code CONVEYOR_DB_PASSWORD}, and no message ever holds it.
 */
public final class DbConnectionOptions {
    public static final String PASSWORD_ENV = "CONVEYOR_DB_PASSWORD";
    /** MySQL's and MariaDB's "Access denied for user" (ER_ACCESS_DENIED_ERROR). */
    private static final int ACCESS_DENIED = 1045;

    @Option(names = "--db-url", paramLabel = "JDBC_URL", defaultValue = "${env:CONVEYOR_DB_URL}",
            description = "jdbc:mysql://host:3306/db (env CONVEYOR_DB_URL).")
    String url;

    @Option(names = "--db-user", defaultValue = "${env:CONVEYOR_DB_USER}", description = "Env CONVEYOR_DB_USER.")
    String user;

    @Option(names = "--db-password-file", paramLabel = "PATH", defaultValue = "${env:CONVEYOR_DB_PASSWORD_FILE}",
            description = "A file holding the password (env CONVEYOR_DB_PASSWORD_FILE); "
                    + "else env CONVEYOR_DB_PASSWORD.")
    Path passwordFile;

    @Mixin
    DatabaseTls tls;

    /** Whether a database URL was given. */
    public boolean given() {
        return url != null && !url.isBlank();
    }

    /**
     * The connection's settings, with the pool's defaults. A file that cannot be read is an
     * {@link IllegalArgumentException} naming its flag.
     */
    public DatabaseConfig config() {
        if (!given()) {
            throw new IllegalArgumentException("--db-url (or CONVEYOR_DB_URL) is required");
        }
        try {
            return DatabaseConfig.of(tls.apply(url), user, password());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read a database TLS file: " + reason(e), e);
        }
    }

    /**
     * {@code failure} of opening the database, with the flags to check when the database refused
     * the user and password: that is a mistake in the command, not an outage to wait out.
     */
    public RuntimeException explain(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == ACCESS_DENIED) {
                String source = passwordFile != null ? "--db-password-file " + passwordFile
                        : System.getenv(PASSWORD_ENV) != null ? PASSWORD_ENV : "no password given";
                return new IllegalArgumentException("the database refused user '" + user + "' with its password ("
                        + source + "): check --db-user and --db-password-file", failure);
            }
        }
        return failure;
    }

    private String password() {
        if (passwordFile == null) {
            return System.getenv(PASSWORD_ENV);
        }
        try {
            return Files.readString(passwordFile).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("--db-password-file: cannot read " + passwordFile + " ("
                    + reason(e) + ")", e);
        }
    }

    private static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : e.getClass().getSimpleName();
    }
}
