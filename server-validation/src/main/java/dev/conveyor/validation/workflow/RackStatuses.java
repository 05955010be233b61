package dev.conveyor.validation.workflow;

import dev.conveyor.core.IdempotencyConflictException;
import dev.conveyor.core.IllegalJobStateException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.StoreUnavailableException;
import dev.conveyor.validation.rack.InvalidManifestException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the exceptions of the rack workflow to gRPC statuses, by the same rules as the queue
 * server's own mapper (this module cannot depend on it): bad input is INVALID_ARGUMENT, with every
 * problem of a manifest listed; an unknown rack or job NOT_FOUND; an idempotency conflict
 * ALREADY_EXISTS; an unreachable database UNAVAILABLE; anything else INTERNAL, logged here and
 * described to the caller without internals.
 */
final class RackStatuses {
    private static final Logger log = LoggerFactory.getLogger(RackStatuses.class);

    private RackStatuses() {
    }

    static StatusRuntimeException toStatus(RuntimeException e) {
        Status status = switch (e) {
            case StatusRuntimeException already -> already.getStatus();
            case InvalidManifestException m -> Status.INVALID_ARGUMENT.withDescription(m.getMessage());
            case InvalidRequestException r -> Status.INVALID_ARGUMENT.withDescription(r.getMessage());
            case UnknownRackException u -> Status.NOT_FOUND.withDescription(u.getMessage());
            case JobNotFoundException n -> Status.NOT_FOUND.withDescription(n.getMessage());
            case IdempotencyConflictException c -> Status.ALREADY_EXISTS.withDescription(c.getMessage());
            case IllegalJobStateException s -> Status.FAILED_PRECONDITION.withDescription(s.getMessage());
            case StoreUnavailableException u -> Status.UNAVAILABLE.withDescription("the database is unavailable; retry");
            default -> {
                log.error("rack service call failed", e);
                yield Status.INTERNAL.withDescription("internal error: " + e.getClass().getSimpleName());
            }
        };
        return status.asRuntimeException();
    }
}
