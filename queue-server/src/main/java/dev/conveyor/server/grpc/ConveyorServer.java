package dev.conveyor.server.grpc;

import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitLimits;
import dev.conveyor.family.FamilyContext;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.server.Families;
import dev.conveyor.server.security.Caller;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC side of a Conveyor server: the job and admin services, health and reflection (so
 * {@code grpcurl} works), the metrics and trace interceptors, and the one event tail that feeds
 * every WatchJob stream. It takes a {@link ServerBuilder}, so tests pass one bound to a real
 * port on 127.0.0.1 (port 0 picks a free one).
 */
public final class ConveyorServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConveyorServer.class);
    /** Room for a request's other fields around a payload of the largest allowed size. */
    private static final int MESSAGE_OVERHEAD_BYTES = 1024 * 1024;

    /**
     * @param limits        the largest job payload accepted (INVALID_ARGUMENT above it)
     * @param pageTokens    signs page tokens: share its key among servers behind one address
     * @param tail          how the event tail reads
     * @param watchBuffer   events a WatchJob stream may have waiting before it is dropped
     * @param shutdownGrace how long calls in flight may take to finish at shutdown
     */
    public record Settings(SubmitLimits limits, PageTokens pageTokens, EventTailer.Settings tail, int watchBuffer,
            Duration shutdownGrace) {
        public static final int DEFAULT_WATCH_BUFFER = 1000;
        public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

        public Settings {
            if (limits == null || pageTokens == null || tail == null) {
                throw new IllegalArgumentException("limits, pageTokens and tail are required");
            }
            if (watchBuffer < 1) {
                throw new IllegalArgumentException("watchBuffer must be positive, was " + watchBuffer);
            }
            if (shutdownGrace.isNegative()) {
                throw new IllegalArgumentException("shutdownGrace must not be negative");
            }
        }

        public static Settings defaults() {
            return new Settings(SubmitLimits.DEFAULTS, PageTokens.withRandomKey(),
                    EventTailer.Settings.DEFAULTS, DEFAULT_WATCH_BUFFER, DEFAULT_SHUTDOWN_GRACE);
        }
    }

    private final Server server;
    private final HealthStatusManager health;
    private final EventTailer tailer;
    private final WakeupGrpcService wakeups;
    private final Duration shutdownGrace;

    private ConveyorServer(Server server, HealthStatusManager health, EventTailer tailer, WakeupGrpcService wakeups,
            Duration shutdownGrace) {
        this.server = server;
        this.health = health;
        this.tailer = tailer;
        this.wakeups = wakeups;
        this.shutdownGrace = shutdownGrace;
    }

    public static ConveyorServer start(ServerBuilder<?> builder, QueueManager queues, MeterRegistry registry,
            Settings settings) throws IOException {
        EventTailer tailer = new EventTailer(queues, settings.tail(), registry);
        HealthStatusManager health = new HealthStatusManager();
        JobWatches watches = new JobWatches(queues, tailer, settings.watchBuffer(), registry);
        WakeupGrpcService wakeups = new WakeupGrpcService(queues);
        Families.services(new FamilyContext(queues, queues.database(), registry, Caller.forFamilies()))
                .forEach(service -> builder.addService(RequestParsing.strict(service)));
        Server server = builder
                .addService(RequestParsing.strict(wakeups))
                .addService(RequestParsing.strict(new JobGrpcService(queues, settings.pageTokens(), watches,
                        settings.limits().maxPayloadBytes())))
                .addService(RequestParsing.strict(new QueueAdminGrpcService(queues)))
                .addService(RequestParsing.strict(new AuditGrpcService(queues, settings.pageTokens())))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                // Interceptors run last-added first: metrics see every call, the trace is set inside.
                .intercept(new TraceInterceptor())
                .intercept(RequestParsing.gate())
                .intercept(new MetricsInterceptor(registry))
                .maxInboundMessageSize(settings.limits().maxPayloadBytes() + MESSAGE_OVERHEAD_BYTES)
                .addStreamTracerFactory(new OversizeRequests())
                .build();
        tailer.start();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            tailer.close();
            wakeups.close();
            throw e;
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(JobServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(QueueAdminServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        log.info("gRPC API listening on port {}", server.getPort());
        return new ConveyorServer(server, health, tailer, wakeups, settings.shutdownGrace());
    }

    /** The bound port: the real one when the builder asked for port 0. */
    public int port() {
        return server.getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Every job event the server's tail reads, handed to {@code sink}; see {@link EventTailer#subscribeAll}. */
    public Runnable onEveryEvent(Consumer<JobEventRecord> sink) {
        return tailer.subscribeAll(sink);
    }

    /**
     * Stops taking calls, ends the watch streams (clients watch again elsewhere), lets calls in
     * flight finish within the grace period, then cancels what is left.
     */
    @Override
    public void close() {
        health.enterTerminalState();
        wakeups.close();
        server.shutdown();
        tailer.close();
        try {
            if (!server.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("calls still running after {} ms; cancelling them", shutdownGrace.toMillis());
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
