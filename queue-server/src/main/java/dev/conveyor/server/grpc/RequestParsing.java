package dev.conveyor.server.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.BindableService;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A request whose bytes are not the message (truncated, garbage, a string field that is not
 * UTF-8) is the caller's mistake: INVALID_ARGUMENT. grpc-java answers UNKNOWN when a request
 * fails to parse, and no interceptor sees that failure; so services are registered through
 * {@link #strict}, whose parser turns such bytes into an empty request marked with a field no
 * Conveyor message uses, and the {@link #gate} interceptor closes marked calls before anything
 * else reads them.
 */
public final class RequestParsing {
    /** The largest field number protobuf allows: never one of ours. */
    private static final int UNPARSABLE_FIELD = 536_870_911;
    private static final UnknownFieldSet UNPARSABLE = UnknownFieldSet.newBuilder()
            .addField(UNPARSABLE_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build();

    private RequestParsing() {
    }

    /** {@code service} with requests that do not parse marked for the {@link #gate}. */
    public static ServerServiceDefinition strict(BindableService service) {
        return strict(service.bindService());
    }

    public static ServerServiceDefinition strict(ServerServiceDefinition definition) {
        ServiceDescriptor original = definition.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        // The definition's methods must be the very descriptor instances its service descriptor lists.
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
            ServerMethodDefinition<?, ?> strict = strictRequests(method);
            methods.add(strict);
            descriptor.addMethod(strict.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(out::addMethod);
        return out.build();
    }

    /** Closes a call whose request did not parse with INVALID_ARGUMENT; add it outside the other interceptors. */
    public static ServerInterceptor gate() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                        next.startCall(call, headers)) {
                    private boolean closed;

                    @Override
                    public void onMessage(Q message) {
                        if (closed) {
                            return;
                        }
                        if (message instanceof Message m && m.getUnknownFields().hasField(UNPARSABLE_FIELD)) {
                            closed = true;
                            call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                                    + call.getMethodDescriptor().getFullMethodName() + " message (malformed protobuf "
                                    + "or a string that is not UTF-8)"), new Metadata());
                            return;
                        }
                        super.onMessage(message);
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
                };
            }
        };
    }

    private static <Q, R> ServerMethodDefinition<Q, R> strictRequests(ServerMethodDefinition<Q, R> method) {
        return ServerMethodDefinition.create(strictRequests(method.getMethodDescriptor()),
                method.getServerCallHandler());
    }

    private static <Q, R> MethodDescriptor<Q, R> strictRequests(MethodDescriptor<Q, R> method) {
        MethodDescriptor.Marshaller<Q> parser = method.getRequestMarshaller();
        if (!(parser instanceof MethodDescriptor.PrototypeMarshaller<Q> proto)
                || !(proto.getMessagePrototype() instanceof Message prototype)) {
            return method;
        }
        return method.toBuilder().setRequestMarshaller(new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Q value) {
                return parser.stream(value);
            }

            @Override
            @SuppressWarnings("unchecked")
            public Q parse(InputStream stream) {
                try {
                    return parser.parse(stream);
                } catch (StatusRuntimeException e) {
                    return (Q) prototype.toBuilder().setUnknownFields(UNPARSABLE).build();
                }
            }
        }).build();
    }
}
