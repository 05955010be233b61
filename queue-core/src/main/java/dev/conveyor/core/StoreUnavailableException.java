package dev.conveyor.core;

/** The database could not be reached or gave up; the caller may retry. */
public final class StoreUnavailableException extends ConveyorException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
