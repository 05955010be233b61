package dev.conveyor.server.security;

import dev.conveyor.server.grpc.StatusMapper;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusRuntimeException;

/**
 * A call's listener that looks at each request message before the service does, and closes the
 * call instead when the check refuses it. After a refusal the service hears nothing more.
 *
 * <p>Thread ownership: gRPC delivers a call's listener callbacks one at a time, so {@code closed}
 * needs no lock.
 */
final class MessageGate<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

    /** Null to let the message through; the status to close the call with otherwise. */
    interface Check<Q> {
        StatusRuntimeException refusal(Q message);
    }

    private final ServerCall<Q, ?> call;
    private final Check<Q> check;
    private boolean closed;

    MessageGate(ServerCall.Listener<Q> delegate, ServerCall<Q, ?> call, Check<Q> check) {
        super(delegate);
        this.call = call;
        this.check = check;
    }

    @Override
    public void onMessage(Q message) {
        if (closed) {
            return;
        }
        StatusRuntimeException refusal;
        try {
            refusal = check.refusal(message);
        } catch (RuntimeException e) {
            refusal = StatusMapper.toStatus(e);
        }
        if (refusal == null) {
            super.onMessage(message);
            return;
        }
        closed = true;
        Metadata trailers = refusal.getTrailers();
        call.close(refusal.getStatus(), trailers == null ? new Metadata() : trailers);
    }

    @Override
    public void onHalfClose() {
        if (!closed) {
            super.onHalfClose();
        }
    }

    @Override
    public void onReady() {
        if (!closed) {
            super.onReady();
        }
    }
}
