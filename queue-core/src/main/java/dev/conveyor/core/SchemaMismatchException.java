package dev.conveyor.core;

/** The database schema is not the one this code expects; startup stops with what differs. */
public final class SchemaMismatchException extends ConveyorException {
    public SchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
