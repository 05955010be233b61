package dev.conveyor.server.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz}: the process is up (a liveness probe; restarting will not fix a database).
 * {@code /readyz}: the database answers, so calls can be served (a readiness probe). The schema
 * was validated when the server opened the database, which it refuses to do on a mismatch.
 */
final class HealthEndpoints {
    private final BooleanSupplier databaseReachable;

    HealthEndpoints(BooleanSupplier databaseReachable) {
        this.databaseReachable = databaseReachable;
    }

    void live(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (Responses.allowGet(exchange)) {
                Responses.text(exchange, 200, "ok\n");
            }
        }
    }

    void ready(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!Responses.allowGet(exchange)) {
                return;
            }
            if (databaseReachable.getAsBoolean()) {
                Responses.text(exchange, 200, "ready\n");
            } else {
                Responses.text(exchange, 503, "not ready: the database is unreachable\n");
            }
        }
    }
}
