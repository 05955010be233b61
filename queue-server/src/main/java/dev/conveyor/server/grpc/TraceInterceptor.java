package dev.conveyor.server.grpc;

import dev.conveyor.core.JobRules;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Carries the caller's W3C {@code traceparent} header into the call's {@link Context}, from where
 * submissions store it with the job so that one trace runs from submit to finish. A malformed
 * header is ignored, as the W3C Trace Context spec asks, rather than failing the call.
 */
public final class TraceInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> TRACEPARENT =
            Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> TRACE_PARENT = Context.key("conveyor-traceparent");

    /** The current call's traceparent, or null when it sent none (or a malformed one). */
    static String current() {
        return TRACE_PARENT.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String value = headers.get(TRACEPARENT);
        if (value == null || !JobRules.TRACEPARENT.matcher(value).matches()) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(TRACE_PARENT, value), call, headers, next);
    }
}
