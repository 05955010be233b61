package dev.conveyor.server.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.conveyor.core.db.DatabaseHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's HTTP port: {@code /metrics}, {@code /healthz} and {@code /readyz}, and whatever else
 * is {@linkplain #mount mounted}. The JDK's own HTTP server is enough for probes and scrapes, and
 * brings no dependency. It takes the {@link HttpServer} unstarted, so the caller chooses plain HTTP
 * or an {@code HttpsServer}.
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoints(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Plain HTTP on {@code address}; port 0 picks a free port. */
    public static HttpEndpoints start(InetSocketAddress address, PrometheusMeterRegistry registry,
            BooleanSupplier databaseReachable) throws IOException {
        return start(HttpServer.create(address, 0), registry, databaseReachable);
    }

    /** @param server bound, not started: an {@code HttpsServer} for TLS */
    public static HttpEndpoints start(HttpServer server, PrometheusMeterRegistry registry,
            BooleanSupplier databaseReachable) {
        return start(server, registry, databaseReachable, path -> Optional.empty());
    }

    /**
     * @param server bound, not started: an {@code HttpsServer} for TLS
     * @param guard  the filter that authorises callers of a built-in endpoint, by path; empty leaves it open
     */
    public static HttpEndpoints start(HttpServer server, PrometheusMeterRegistry registry,
            BooleanSupplier databaseReachable, Function<String, Optional<Filter>> guard) {
        return start(server, registry, databaseReachable, DatabaseHealth.UNWATCHED, guard);
    }

    /**
     * @param server         bound, not started: an {@code HttpsServer} for TLS
     * @param databaseHealth what the process knows of its database without asking it (for the
     *                       embedded one: running, restarting, or down for good)
     * @param guard          the filter that authorises callers of a built-in endpoint, by path; empty leaves it open
     */
    public static HttpEndpoints start(HttpServer server, PrometheusMeterRegistry registry,
            BooleanSupplier databaseReachable, DatabaseHealth databaseHealth, Function<String, Optional<Filter>> guard) {
        HealthEndpoints health = new HealthEndpoints(databaseReachable, databaseHealth);
        guarded(server.createContext("/metrics", new MetricsEndpoint(registry)), guard);
        guarded(server.createContext("/healthz", health::live), guard);
        guarded(server.createContext("/readyz", health::ready), guard);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        log.info("HTTP endpoints (/metrics, /healthz, /readyz) listening on port {}", server.getAddress().getPort());
        return new HttpEndpoints(server, executor);
    }

    private static void guarded(HttpContext context, Function<String, Optional<Filter>> guard) {
        guard.apply(context.getPath()).ifPresent(context.getFilters()::add);
    }

    /** Serves {@code handler} under {@code path} (a prefix), beside the built-in endpoints. */
    public void mount(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
