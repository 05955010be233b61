package dev.conveyor.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.conveyor.core.db.DatabaseHealth;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz}: the process is up and its database is not down for good (a liveness probe: an
 * embedded database that cannot be restarted needs the process restarted). {@code /readyz}: the
 * database answers, so calls can be served (a readiness probe), answered within
 * {@link #READY_WITHIN}: a database known to be down is 503 at once, and one that does not answer
 * in time is 503 too, rather than the probe waiting for the pool's connection timeout. The schema
 * was validated when the server opened the database, which it refuses to do on a mismatch.
 */
final class HealthEndpoints {
    static final Duration READY_WITHIN = Duration.ofMillis(800);

    private final BooleanSupplier databaseReachable;
    private final DatabaseHealth health;
    /** The reachability check in progress; probes that come while it runs share it. Any thread. */
    private CompletableFuture<Boolean> check = CompletableFuture.completedFuture(true);

    HealthEndpoints(BooleanSupplier databaseReachable, DatabaseHealth health) {
        this.databaseReachable = databaseReachable;
        this.health = health;
    }

    void live(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!Responses.allowGet(exchange)) {
                return;
            }
            if (health.recoverable()) {
                Responses.text(exchange, 200, "ok\n");
            } else {
                Responses.text(exchange, 503, "not live: " + health.describe() + "\n");
            }
        }
    }

    void ready(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!Responses.allowGet(exchange)) {
                return;
            }
            if (!health.available()) {
                Responses.text(exchange, 503, "not ready: " + health.describe() + "\n");
            } else if (reachable()) {
                Responses.text(exchange, 200, "ready\n");
            } else {
                Responses.text(exchange, 503, "not ready: the database is unreachable\n");
            }
        }
    }

    private boolean reachable() {
        CompletableFuture<Boolean> current;
        synchronized (this) {
            if (check.isDone()) {
                check = CompletableFuture.supplyAsync(databaseReachable::getAsBoolean,
                        task -> Thread.ofVirtual().name("readyz-check").start(task));
            }
            current = check;
        }
        try {
            return current.get(READY_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
