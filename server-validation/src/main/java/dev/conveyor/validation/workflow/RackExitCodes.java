package dev.conveyor.validation.workflow;

import io.grpc.Status;

/**
 * The exit codes of {@code conveyor rack}, the same as every other {@code conveyor} command's
 * (docs/api.md): this module cannot see the CLI's own table, which lives in queue-server.
 */
final class RackExitCodes {
    static final int ERROR = 1;
    /** A bad command line, a manifest file that is missing, or a manifest the server refused. */
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int UNAVAILABLE = 4;
    static final int CONFLICT = 6;
    static final int DENIED = 7;

    private RackExitCodes() {
    }

    static int of(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> USAGE;
            case NOT_FOUND -> NOT_FOUND;
            case UNAVAILABLE, DEADLINE_EXCEEDED -> UNAVAILABLE;
            case FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED -> CONFLICT;
            case UNAUTHENTICATED, PERMISSION_DENIED -> DENIED;
            default -> ERROR;
        };
    }
}
