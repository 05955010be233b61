package dev.conveyor.server.security;

import dev.conveyor.core.ConveyorException;
import dev.conveyor.core.QueueManager;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a call through when the {@link RbacPolicy} gives one of its caller's roles the RPC;
 * refuses it with PERMISSION_DENIED otherwise, before the service runs. A refused mutating call
 * is written to the audit log with its target, so the request message is read first (the
 * service never sees it). Runs inside the {@link AuthInterceptor}.
 */
public final class RbacInterceptor implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(RbacInterceptor.class);

    private final QueueManager queues;

    public RbacInterceptor(QueueManager queues) {
        this.queues = queues;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (RbacPolicy.isOpen(method)) {
            return next.startCall(call, headers);
        }
        Caller caller = Caller.current();
        if (caller == null) {
            call.close(Status.UNAUTHENTICATED.withDescription("credentials required"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        if (RbacPolicy.allows(caller.identity(), method)) {
            return next.startCall(call, headers);
        }
        String reason = refusal(caller, method);
        if (!RbacPolicy.isMutating(method)) {
            call.close(Status.PERMISSION_DENIED.withDescription(reason), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        call.request(1);
        return new ServerCall.Listener<>() {
            private boolean closed;

            @Override
            public void onMessage(Q message) {
                deny(Targets.of(message));
            }

            @Override
            public void onHalfClose() {
                deny(null);
            }

            private void deny(String target) {
                if (closed) {
                    return;
                }
                closed = true;
                audit(caller, target, reason);
                call.close(Status.PERMISSION_DENIED.withDescription(reason), new Metadata());
            }
        };
    }

    private static String refusal(Caller caller, String method) {
        String roles = caller.identity().roles().isEmpty() ? "no role" : "role(s) " + caller.identity().roleLabels();
        return caller.identity().name() + " (" + roles + ") may not call " + AuthInterceptor.action(method);
    }

    /** The refusal stands even when the audit log cannot be written; the log line says so. */
    private void audit(Caller caller, String target, String reason) {
        try {
            queues.auditDenied(caller.audit(), target, reason);
        } catch (ConveyorException e) {
            log.warn("refused call not audited ({}): {}", reason, e.getMessage());
        }
    }
}
