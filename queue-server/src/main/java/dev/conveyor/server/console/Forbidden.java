package dev.conveyor.server.console;

/** The caller's roles do not allow what it asked: answered 403 with the role it needs. */
final class Forbidden extends RuntimeException {
    Forbidden(String message) {
        super(message, null, false, false);
    }
}
