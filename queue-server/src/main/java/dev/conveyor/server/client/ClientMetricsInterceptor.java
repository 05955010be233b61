package dev.conveyor.server.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The caller's view of the API, for programs that call Conveyor (the benchmark, a provisioning
 * service): {@code conveyor_client_rpc_seconds} by method and status code, measured from the call's
 * start to its close, network and queueing included. Named apart from the server's
 * {@code conveyor_server_*} so that the two never mix in one dashboard query.
 */
public final class ClientMetricsInterceptor implements ClientInterceptor {
    static final String METRIC = "conveyor.client.rpc";

    private final MeterRegistry registry;

    public ClientMetricsInterceptor(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        String name = method.getFullMethodName();
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                long started = System.nanoTime();
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        Timer.builder(METRIC)
                                .description("gRPC calls made to Conveyor, by method and status code")
                                .tag("method", name)
                                .tag("code", status.getCode().name())
                                .register(registry)
                                .record(Duration.ofNanos(System.nanoTime() - started));
                        super.onClose(status, trailers);
                    }
                }, headers);
            }
        };
    }
}
