package dev.conveyor.server.cli;

import io.grpc.Status;

/**
 * The CLI's exit codes, for scripts; documented in {@code docs/api.md}. Each says what the
 * caller should do next: fix the command, look elsewhere, retry later, or look at the job.
 */
final class ExitCodes {
    static final int OK = 0;
    /** Anything not listed below. */
    static final int ERROR = 1;
    /** Bad command line, or the server refused the input (INVALID_ARGUMENT). */
    static final int USAGE = 2;
    /** The job (or other target) does not exist. */
    static final int NOT_FOUND = 3;
    /** The server or its database cannot be reached, or the deadline passed: retry later. */
    static final int UNAVAILABLE = 4;
    /** {@code watch}: the job ended DEAD or CANCELLED. */
    static final int JOB_FAILED = 5;
    /** The job's state or an earlier submission forbids it (FAILED_PRECONDITION, ALREADY_EXISTS). */
    static final int CONFLICT = 6;
    /** No or unknown credentials (UNAUTHENTICATED), or an identity without the role (PERMISSION_DENIED). */
    static final int DENIED = 7;

    private ExitCodes() {
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
