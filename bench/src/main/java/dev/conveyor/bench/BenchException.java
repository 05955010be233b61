package dev.conveyor.bench;

/** A run could not be made or checked; the harness stops with a non-zero exit. */
final class BenchException extends RuntimeException {

    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
