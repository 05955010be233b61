package dev.conveyor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobState;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live streams over a real loopback socket: what each stream receives, and how it ends. */
class LiveEventsTest {
    private final LiveEvents live = new LiveEvents();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", exchange -> {
            try (exchange) {
                live.serve(exchange, EventFilter.jobs(Form.parse(exchange.getRequestURI().getRawQuery()).get("jobs")));
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        live.close();
        server.stop(0);
    }

    @Test
    void aStreamForSomeJobsGetsTheirEventsOnly() throws Exception {
        try (BufferedReader stream = open("?jobs=7,8")) {
            live.accept(step(5, "not asked for"));
            live.accept(step(7, "bmc-reachable"));
            live.accept(state(8, JobState.DEAD));

            assertThat(nextData(stream)).contains("\"jobId\":7").contains("\"step\":\"bmc-reachable\"");
            assertThat(nextData(stream)).contains("\"jobId\":8").contains("\"state\":\"DEAD\"");
        }
    }

    @Test
    void aStreamForEveryJobGetsStateChangesOnly() throws Exception {
        try (BufferedReader stream = open("")) {
            live.accept(step(5, "identity"));
            live.accept(state(6, JobState.SUCCEEDED));

            assertThat(nextData(stream)).contains("\"jobId\":6").contains("\"state\":\"SUCCEEDED\"");
        }
    }

    @Test
    void closingEndsEveryStream() throws Exception {
        try (BufferedReader stream = open("?jobs=1")) {
            live.close();

            String line;
            do {
                line = stream.readLine();
            } while (line != null && !line.startsWith("data: "));
            assertThat(line).isNull();
            assertThat(live.openStreams()).isZero();
        }
    }

    /** Opens a stream and returns once the server has registered it (its first line is written after). */
    private BufferedReader open(String query) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events" + query)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).isEqualTo("retry: 2000");
        return reader;
    }

    private static String nextData(BufferedReader stream) throws Exception {
        String line;
        do {
            line = stream.readLine();
        } while (line != null && !line.startsWith("data: "));
        return line;
    }

    private static JobEventRecord step(long jobId, String step) {
        return new JobEventRecord(jobId * 100, jobId, null, Instant.now(), JobEventRecord.STEP, null, step, "OK", "GET /",
                "fine", "w1", 1);
    }

    private static JobEventRecord state(long jobId, JobState state) {
        return new JobEventRecord(jobId * 100 + 1, jobId, null, Instant.now(), JobEventRecord.STATE, state, null, null, null,
                "", "w1", 1);
    }
}
