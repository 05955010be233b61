package dev.conveyor.server.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.conveyor.core.IdempotencyConflictException;
import dev.conveyor.core.IllegalJobStateException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.QueueNotFoundException;
import dev.conveyor.core.QuotaExceededException;
import dev.conveyor.core.StoreUnavailableException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where an exception becomes a gRPC status. Store errors keep their words when
 * they are the caller's business (which job, which field, which rule); anything else becomes
 * INTERNAL with a reference that points to the server's log, and nothing of its internals.
 */
public final class StatusMapper {
    private static final Logger log = LoggerFactory.getLogger(StatusMapper.class);

    private StatusMapper() {
    }

    public static StatusRuntimeException toStatus(Throwable error) {
        if (error instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (deadlinePassed()) {
            return Status.DEADLINE_EXCEEDED.withDescription("the call's deadline passed").asRuntimeException();
        }
        return switch (error) {
            case InvalidRequestException e -> invalidArgument(e.field(), e.rule());
            case JobNotFoundException e -> Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
            case QueueNotFoundException e -> Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
            case IdempotencyConflictException e ->
                    Status.ALREADY_EXISTS.withDescription(e.getMessage()).asRuntimeException();
            case IllegalJobStateException e ->
                    Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
            case QuotaExceededException e -> exhausted(e.getMessage(), e.retryAfter());
            case StoreUnavailableException e -> unavailable(e);
            default -> internal(error);
        };
    }

    /**
     * INVALID_ARGUMENT with the field and rule in the message and, for clients that read them, in
     * a {@code google.rpc.BadRequest} detail (AIP-193).
     */
    static StatusRuntimeException invalidArgument(String field, String rule) {
        BadRequest detail = BadRequest.newBuilder()
                .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField(field).setDescription(rule))
                .build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(field + ": " + rule)
                .addDetails(Any.pack(detail))
                .build());
    }

    /** RESOURCE_EXHAUSTED with a {@code google.rpc.RetryInfo} detail saying when to try again. */
    static StatusRuntimeException exhausted(String reason, java.time.Duration retryAfter) {
        RetryInfo retry = RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                .setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano())).build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage(reason)
                .addDetails(Any.pack(retry))
                .build());
    }

    private static boolean deadlinePassed() {
        Deadline deadline = Context.current().getDeadline();
        return deadline != null && deadline.isExpired();
    }

    /** The cause names hosts and drivers: it goes to the log, not to the caller. */
    private static StatusRuntimeException unavailable(StoreUnavailableException e) {
        String ref = reference();
        log.warn("database unavailable (ref {}): {}", ref, e.getMessage());
        return Status.UNAVAILABLE.withDescription("the database is unavailable; retry later (ref " + ref + ")")
                .asRuntimeException();
    }

    private static StatusRuntimeException internal(Throwable e) {
        String ref = reference();
        log.error("internal error (ref {})", ref, e);
        return Status.INTERNAL.withDescription("internal error (ref " + ref + ")").asRuntimeException();
    }

    private static String reference() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
