package dev.conveyor.dcsim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's HTTPS listener on its own loopback port, so each device is a standalone host at its
 * own base URL. Applies the transport faults before the device's handler sees a request:
 * unreachable (the listener is closed, so connections are refused), slow and flapping.
 */
final class DeviceServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceServer.class);

    private final String device;
    private final SSLContext tls;
    private final ExecutorService executor;
    private final HttpHandler handler;
    private final DeviceFaults faults;
    private final AtomicLong requests = new AtomicLong();
    /** Guarded by this: the listener, null while the device is unreachable or after close. */
    private HttpsServer server;
    private int port;

    DeviceServer(String device, SSLContext tls, ExecutorService executor, HttpHandler handler, DeviceFaults faults) {
        this.device = device;
        this.tls = tls;
        this.executor = executor;
        this.handler = handler;
        this.faults = faults;
    }

    /** Binds the port (0 for any free one) and serves. */
    synchronized void start(int requestedPort) {
        try {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            https.setExecutor(executor);
            https.createContext("/", this::handle);
            https.start();
            server = https;
            port = https.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for " + device + " on port " + requestedPort, e);
        }
    }

    /** Reconciles the listener with the Unreachable fault: closed while present, open otherwise. */
    synchronized void applyReachability() {
        boolean unreachable = faults.has(Fault.Unreachable.class);
        if (unreachable && server != null) {
            server.stop(0);
            server = null;
            log.info("{} is now unreachable (port {} closed)", device, port);
        } else if (!unreachable && server == null && port != 0) {
            start(port);
            log.info("{} is reachable again on port {}", device, port);
        }
    }

    synchronized URI baseUri() {
        return URI.create("https://127.0.0.1:" + port);
    }

    synchronized int port() {
        return port;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long number = requests.incrementAndGet();
            Fault.Slow slow = faults.first(Fault.Slow.class).orElse(null);
            if (slow != null) {
                try {
                    Thread.sleep(slow.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (faults.has(Fault.Flapping.class) && number % 2 == 1) {
                byte[] body = "{\"error\":{\"code\":\"Base.1.8.ServiceTemporarilyUnavailable\",\"message\":\"flapping\"}}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(503, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            handler.handle(exchange);
        } catch (RuntimeException e) {
            log.warn("{}: {} {} failed", device, exchange.getRequestMethod(), exchange.getRequestURI(), e);
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        port = 0;
    }
}
