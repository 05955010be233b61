package dev.conveyor.server.security;

import dev.conveyor.core.Audit;
import dev.conveyor.core.ConveyorException;
import dev.conveyor.core.QueueManager;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit record of every mutating call that ends in failure, whatever refused it: bad
 * input found by the service before it reached the queue (INVALID_ARGUMENT), a job that does not
 * exist, a state that does not allow it, the caller's submit rate (RESOURCE_EXHAUSTED, recorded
 * DENIED). Each record names what the call was about, from its request ({@link Targets}), and the
 * status it ended with. Refusals by role are recorded by the {@link RbacInterceptor}, as DENIED;
 * unauthenticated calls have no one to record. The queue's audited views leave their failures to
 * this interceptor ({@code QueueManager.failuresAuditedByCaller}), so each failure has one record.
 * Runs inside the {@link AuthInterceptor}.
 */
public final class FailureAudit implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(FailureAudit.class);

    private final QueueManager queues;

    public FailureAudit(QueueManager queues) {
        this.queues = queues;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Caller caller = Caller.current();
        if (caller == null || !RbacPolicy.isMutating(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        // gRPC delivers a call's listener callbacks and closes it one at a time: no lock needed.
        String[] target = new String[1];
        ServerCall<Q, R> recorded = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                record(caller, target[0], status);
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(recorded, headers)) {
            @Override
            public void onMessage(Q message) {
                target[0] = Targets.of(message);
                super.onMessage(message);
            }
        };
    }

    private void record(Caller caller, String target, Status status) {
        if (status.isOk() || status.getCode() == Status.Code.PERMISSION_DENIED
                || status.getCode() == Status.Code.UNAUTHENTICATED || status.getCode() == Status.Code.CANCELLED) {
            return;
        }
        String detail = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        try {
            if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                queues.auditDenied(caller.audit(), target, detail);
            } else {
                queues.auditFailed(caller.audit(), target, detail);
            }
        } catch (ConveyorException e) {
            log.warn("failed call not audited ({} {}): {}", caller.action(), Audit.FAILED, e.getMessage());
        }
    }
}
