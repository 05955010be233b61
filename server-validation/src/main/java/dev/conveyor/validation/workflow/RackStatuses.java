package dev.conveyor.validation.workflow;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.conveyor.core.IdempotencyConflictException;
import dev.conveyor.core.IllegalJobStateException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.QuotaExceededException;
import dev.conveyor.core.StoreUnavailableException;
import dev.conveyor.rack.InvalidManifestException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.UUID;
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
        if (e instanceof QuotaExceededException q) {
            // Over the caller's submit rate: RESOURCE_EXHAUSTED with when to try again (RetryInfo).
            RetryInfo retry = RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                    .setSeconds(q.retryAfter().getSeconds()).setNanos(q.retryAfter().getNano())).build();
            return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                    .setCode(Code.RESOURCE_EXHAUSTED_VALUE).setMessage(q.getMessage()).addDetails(Any.pack(retry))
                    .build());
        }
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
                // The caller gets a reference to the log line, never the exception's class or message.
                String ref = UUID.randomUUID().toString().substring(0, 8);
                log.error("rack service call failed (ref {})", ref, e);
                yield Status.INTERNAL.withDescription("internal error (ref " + ref + ")");
            }
        };
        return status.asRuntimeException();
    }
}
