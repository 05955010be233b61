package dev.conveyor.embedded;

/**
 * The embedded MariaDB could not start, or a live server of another process holds its data
 * directory. Unchecked, and this module's own: it depends on nothing of Conveyor's, so that the
 * core may use it in tests without a cycle; the server maps it to its "store unavailable" error.
 */
public final class EmbeddedDatabaseException extends RuntimeException {
    public EmbeddedDatabaseException(String message) {
        super(message);
    }

    public EmbeddedDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
