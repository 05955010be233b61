package dev.conveyor.server;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.QueueManagerConfig;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseHealth;
import dev.conveyor.server.grpc.ConveyorServer;
import dev.conveyor.server.grpc.DatabaseAvailabilityInterceptor;
import dev.conveyor.server.http.HttpEndpoints;
import dev.conveyor.server.metrics.QueueDepthGauges;
import dev.conveyor.server.security.ServerSecurity;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One running Conveyor server on an open {@link Database}: the queue, the gRPC API, the HTTP
 * endpoints, the queue gauges and, optionally, worker pools in the same process. What
 * {@code conveyor server} runs, and what a test or an embedding program starts in-process. Both
 * ports take their transport and their callers' checks from one {@link ServerSecurity}.
 *
 * <p>The database stays the caller's: it is opened before and closed after.
 */
public final class ConveyorNode implements AutoCloseable {

    /**
     * @param bindAddress   the interface both ports listen on, such as "0.0.0.0" or "127.0.0.1"
     * @param grpcPort      0 picks a free port
     * @param httpPort      0 picks a free port
     * @param api           the gRPC API's limits and settings
     * @param statsInterval how often the queue gauges are refreshed (one grouped query each time)
     * @param workerQueues  the queues in-process workers serve, when there are any
     */
    public record Settings(String bindAddress, int grpcPort, int httpPort, ConveyorServer.Settings api,
            Duration statsInterval, List<String> workerQueues) {
        public Settings {
            if (bindAddress == null || bindAddress.isBlank()) {
                throw new IllegalArgumentException("a bind address is required");
            }
            requirePort("grpc", grpcPort);
            requirePort("http", httpPort);
            if (api == null) {
                throw new IllegalArgumentException("api settings are required");
            }
            if (statsInterval == null || statsInterval.toMillis() < 100) {
                throw new IllegalArgumentException("stats interval must be at least 100 ms");
            }
            workerQueues = List.copyOf(workerQueues);
        }

        /** A node on 127.0.0.1 with free ports and default settings: for tests and embedding. */
        public static Settings local() {
            return new Settings("127.0.0.1", 0, 0, ConveyorServer.Settings.defaults(),
                    QueueDepthGauges.DEFAULT_INTERVAL, List.of());
        }

        public Settings withStatsInterval(Duration interval) {
            return new Settings(bindAddress, grpcPort, httpPort, api, interval, workerQueues);
        }

        private static void requirePort(String name, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " port must be in [0, 65535], was " + port);
            }
        }
    }

    private final QueueManager queues;
    private final PrometheusMeterRegistry registry;
    private final QueueDepthGauges gauges;
    private final ConveyorServer grpc;
    private final HttpEndpoints http;
    private final InProcessWorkers workers;

    private ConveyorNode(QueueManager queues, PrometheusMeterRegistry registry, QueueDepthGauges gauges,
            ConveyorServer grpc, HttpEndpoints http, InProcessWorkers workers) {
        this.queues = queues;
        this.registry = registry;
        this.gauges = gauges;
        this.grpc = grpc;
        this.http = http;
        this.workers = workers;
    }

    /**
     * Plaintext and without authentication ({@link ServerSecurity.Settings#plaintextOpen()}): for
     * tests and embedding on a trusted host.
     */
    public static ConveyorNode start(Database database, Settings settings, InProcessWorkers workers)
            throws IOException {
        return start(database, settings, ServerSecurity.load(ServerSecurity.Settings.plaintextOpen()), workers);
    }

    /** @param security the transport and the checks of both ports, loaded at startup */
    public static ConveyorNode start(Database database, Settings settings, ServerSecurity security,
            InProcessWorkers workers) throws IOException {
        return start(database, settings, security, workers, DatabaseHealth.UNWATCHED);
    }

    /**
     * @param security       the transport and the checks of both ports, loaded at startup
     * @param databaseHealth what the process knows of its database (the embedded one is supervised):
     *                       while it is down calls fail at once with UNAVAILABLE and {@code /readyz}
     *                       is 503; down for good, {@code /healthz} is 503 too
     */
    public static ConveyorNode start(Database database, Settings settings, ServerSecurity security,
            InProcessWorkers workers, DatabaseHealth databaseHealth) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        QueueManager queues = new QueueManager(database,
                QueueManagerConfig.DEFAULTS.withLimits(settings.api().limits()));
        QueueDepthGauges gauges = QueueDepthGauges.start(queues, registry, settings.statsInterval());
        ConveyorServer grpc = null;
        HttpEndpoints http = null;
        try {
            // Added before the security interceptors, so it runs after them: a caller learns that the
            // database is down only once authenticated.
            grpc = ConveyorServer.start(security.intercept(security.serverBuilder(
                    new InetSocketAddress(settings.bindAddress(), settings.grpcPort()))
                    .intercept(new DatabaseAvailabilityInterceptor(databaseHealth)), queues),
                    queues, registry, settings.api());
            http = HttpEndpoints.start(httpServer(new InetSocketAddress(settings.bindAddress(), settings.httpPort()),
                    security.https()), registry, database::isReachable, databaseHealth, security::httpGuard);
            workers.start(queues, database, registry, settings.workerQueues());
        } catch (IOException | RuntimeException e) {
            closeAll(http, grpc, gauges);
            throw e;
        }
        return new ConveyorNode(queues, registry, gauges, grpc, http, workers);
    }

    private static HttpServer httpServer(InetSocketAddress address, Optional<HttpsConfigurator> https)
            throws IOException {
        if (https.isEmpty()) {
            return HttpServer.create(address, 0);
        }
        HttpsServer server = HttpsServer.create(address, 0);
        server.setHttpsConfigurator(https.get());
        return server;
    }

    public int grpcPort() {
        return grpc.port();
    }

    public int httpPort() {
        return http.port();
    }

    public QueueManager queues() {
        return queues;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void awaitTermination() throws InterruptedException {
        grpc.awaitTermination();
    }

    /** Serves {@code handler} on the HTTP port under {@code path}, such as the web console. */
    public void mount(String path, HttpHandler handler) {
        http.mount(path, handler);
    }

    /** Every job event the server's tail reads (for live views); the sink must not block. */
    public Runnable onEveryEvent(Consumer<JobEventRecord> sink) {
        return grpc.onEveryEvent(sink);
    }

    /**
     * Stops in the order that loses nothing: the API first (no new submissions, watches told to
     * come back), then the workers drain, then the gauges and the HTTP port.
     */
    @Override
    public void close() {
        closeAll(grpc, workers, gauges, http);
    }

    private static void closeAll(AutoCloseable... parts) {
        RuntimeException failure = null;
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("shutdown failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
