package dev.conveyor.core;

/**
 * Root of every error Conveyor reports. Subclasses carry the fields a caller needs and put them in
 * the message; the gRPC layer maps each subclass to one status code, in one place.
 */
public class ConveyorException extends RuntimeException {
    public ConveyorException(String message) {
        super(message);
    }

    public ConveyorException(String message, Throwable cause) {
        super(message, cause);
    }
}
