package dev.conveyor.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP port: a parsed /metrics scrape with the queue and RPC series, and the probes. */
@ExtendWith(TestDatabase.class)
class HttpEndpointsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestDb db;
    private static RunningServer server;

    @BeforeAll
    static void start(TestDb testDb) {
        db = testDb;
        server = RunningServer.start(db.open());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void metricsHaveQueueDepthAndRpcSeriesByMethodAndCode() throws Exception {
        server.jobs().submitJob(SubmitJobRequest.newBuilder().setQueue("scraped").setType("noop").build());
        server.jobs().submitJob(SubmitJobRequest.newBuilder().setQueue("scraped").setType("noop").build());
        try {
            server.jobs().getJob(GetJobRequest.newBuilder().setId(424242).build());
        } catch (StatusRuntimeException expected) {
            // a NOT_FOUND to count
        }

        Conditions.await(Duration.ofSeconds(10), "queue depth of 'scraped' in /metrics", () ->
                value(scrape(), "conveyor_server_queue_depth_jobs", Map.of("queue", "scraped", "state", "READY")) == 2.0);
        List<Sample> samples = scrape();

        assertThat(value(samples, "conveyor_server_queue_depth_jobs", Map.of("queue", "scraped", "state", "RUNNING")))
                .isEqualTo(0.0);
        assertThat(value(samples, "conveyor_server_queue_paused", Map.of("queue", "scraped"))).isEqualTo(0.0);
        assertThat(value(samples, "conveyor_server_rpc_seconds_count",
                Map.of("method", "conveyor.v1.JobService/SubmitJob", "code", "OK"))).isEqualTo(2.0);
        assertThat(value(samples, "conveyor_server_rpc_seconds_count",
                Map.of("method", "conveyor.v1.JobService/GetJob", "code", "NOT_FOUND"))).isEqualTo(1.0);
        assertThat(value(samples, "conveyor_server_rpc_seconds_sum",
                Map.of("method", "conveyor.v1.JobService/SubmitJob", "code", "OK"))).isPositive();
        assertThat(samples).anySatisfy(s -> assertThat(s.name()).isEqualTo("conveyor_server_rpc_seconds_bucket"));
        assertThat(samples).noneSatisfy(s -> assertThat(s.name()).startsWith("conveyor_client_"));
    }

    @Test
    void healthzIsAlwaysOkAndReadyzFollowsTheDatabase() throws Exception {
        assertThat(get(server.httpPort(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(server.httpPort(), "/readyz").statusCode()).isEqualTo(200);

        Matcher hostPort = Pattern.compile("//([^:/]+):(\\d+)/").matcher(db.jdbcUrl());
        assertThat(hostPort.find()).isTrue();
        try (TcpProxy proxy = TcpProxy.start(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
                Database viaProxy = Database.open(new DatabaseConfig(proxy.route(db.jdbcUrl()), db.user(),
                        db.password(), 2, Duration.ofSeconds(1), false, List.of(), List.of()));
                RunningServer outage = RunningServer.start(viaProxy)) {
            assertThat(get(outage.httpPort(), "/readyz").statusCode()).isEqualTo(200);

            proxy.close();

            HttpResponse<String> ready = get(outage.httpPort(), "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("database is unreachable");
            assertThat(get(outage.httpPort(), "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aMountedHandlerIsServedBesideTheBuiltInEndpoints() throws Exception {
        server.node().mount("/extra/", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(204, -1);
            }
        });

        assertThat(get(server.httpPort(), "/extra/page").statusCode()).isEqualTo(204);
        assertThat(get(server.httpPort(), "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void onlyReadsAreAllowed() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(server.httpPort(), "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    /** One sample of the Prometheus text format: {@code name{k="v",...} value}. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static List<Sample> scrape() {
        try {
            HttpResponse<String> response = get(server.httpPort(), "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            return response.body().lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(HttpEndpointsIT::parse)
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Sample parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            throw new AssertionError("not a Prometheus sample line: " + line);
        }
        Map<String, String> labels = new java.util.HashMap<>();
        if (m.group(2) != null) {
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
        }
        return new Sample(m.group(1), labels, Double.parseDouble(m.group(3)));
    }

    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .findFirst()
                .orElse(Double.NaN);
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
