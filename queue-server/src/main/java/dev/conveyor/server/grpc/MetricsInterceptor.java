package dev.conveyor.server.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts and times every call by method and status code: {@code conveyor_server_rpc_seconds}
 * (count, sum, max and latency buckets). A call the client cancels is recorded as CANCELLED.
 */
public final class MetricsInterceptor implements ServerInterceptor {
    static final String METRIC = "conveyor.server.rpc";
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;

    public MetricsInterceptor(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Recorder recorder = new Recorder(call.getMethodDescriptor().getFullMethodName(), System.nanoTime());
        ServerCall<Q, R> recorded = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                recorder.record(status.getCode());
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(recorded, headers)) {
            @Override
            public void onCancel() {
                recorder.record(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    /** Records a call once: a call may be closed by the server and cancelled by the client. */
    private final class Recorder {
        private final String method;
        private final long startNanos;
        private final AtomicBoolean done = new AtomicBoolean();

        Recorder(String method, long startNanos) {
            this.method = method;
            this.startNanos = startNanos;
        }

        void record(Status.Code code) {
            if (done.compareAndSet(false, true)) {
                Timer.builder(METRIC)
                        .description("gRPC calls served, by method and status code")
                        .tag("method", method)
                        .tag("code", code.name())
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry)
                        .record(Duration.ofNanos(System.nanoTime() - startNanos));
            }
        }
    }
}
