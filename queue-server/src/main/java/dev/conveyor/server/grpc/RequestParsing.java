package dev.conveyor.server.grpc;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;

/**
 * A request whose bytes are not the message (truncated, garbage, a string field that is not
 * UTF-8) is the caller's mistake: INVALID_ARGUMENT, not the INTERNAL that grpc-java answers when
 * a request fails to parse. Services are registered through {@link #strict} for that.
 */
public final class RequestParsing {
    private RequestParsing() {
    }

    /** {@code service} with every method's request parsing failing as INVALID_ARGUMENT. */
    public static ServerServiceDefinition strict(BindableService service) {
        return strict(service.bindService());
    }

    public static ServerServiceDefinition strict(ServerServiceDefinition definition) {
        ServiceDescriptor original = definition.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        for (MethodDescriptor<?, ?> method : original.getMethods()) {
            descriptor.addMethod(definition.getMethod(method.getFullMethodName()) == null ? method
                    : strictRequests(method));
        }
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
        for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
            add(out, method);
        }
        return out.build();
    }

    private static <Q, R> void add(ServerServiceDefinition.Builder out, ServerMethodDefinition<Q, R> method) {
        out.addMethod(strictRequests(method.getMethodDescriptor()), method.getServerCallHandler());
    }

    private static <Q, R> MethodDescriptor<Q, R> strictRequests(MethodDescriptor<Q, R> method) {
        MethodDescriptor.Marshaller<Q> parser = method.getRequestMarshaller();
        return method.toBuilder().setRequestMarshaller(new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Q value) {
                return parser.stream(value);
            }

            @Override
            public Q parse(InputStream stream) {
                try {
                    return parser.parse(stream);
                } catch (StatusRuntimeException e) {
                    throw Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                            + method.getFullMethodName() + " request message (malformed protobuf or a string that "
                            + "is not UTF-8)").asRuntimeException();
                }
            }
        }).build();
    }
}
