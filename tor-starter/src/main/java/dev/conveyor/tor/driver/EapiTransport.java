package dev.conveyor.tor.driver;

import dev.conveyor.device.Exchange;
import dev.conveyor.device.ExchangeListener;
import dev.conveyor.device.TransportFailure;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON-RPC 2.0 {@code runCmds} over HTTPS, as Arista's eAPI speaks it: one POST per batch of
 * commands, answered by one result object per command, or by an error object whose {@code data}
 * ends at the command that failed.
 */
final class EapiTransport implements AutoCloseable {
    private static final String PATH = "/command-api";

    private final EapiConfig config;
    private final URI commandUri;
    private final HttpClient http;
    private final ObjectMapper json;
    private final ExchangeListener listener;
    private final AtomicLong requestIds = new AtomicLong();

    EapiTransport(EapiConfig config, ObjectMapper json, ExchangeListener listener) {
        this.config = config;
        this.commandUri = config.endpoint().resolve(PATH);
        this.json = json;
        this.listener = listener;
        this.http = HttpClient.newBuilder()
                .sslContext(config.tls().sslContext())
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Runs the commands in order and returns one result object per command. */
    List<JsonNode> runCmds(List<String> commands, String note) {
        HttpRequest request = HttpRequest.newBuilder(commandUri)
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", config.credentials().basicAuthorization())
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(commands)))
                .build();
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String failure = TransportFailure.describe(e);
            listener.onExchange(Exchange.failed("POST", commandUri, note, failure, since(started)));
            if (TransportFailure.untrustedCertificate(e)) {
                throw new SwitchProtocolException(commandUri, TransportFailure.certificateProblem(e, commandUri.getHost()), e);
            }
            throw new SwitchUnavailableException(commandUri, failure, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.onExchange(Exchange.failed("POST", commandUri, note, "interrupted", since(started)));
            throw new SwitchUnavailableException(commandUri, "interrupted while waiting for the switch", e);
        }
        listener.onExchange(Exchange.responded("POST", commandUri, note, response.statusCode(), since(started)));
        return results(response, commands);
    }

    private String requestBody(List<String> commands) {
        ObjectNode body = json.createObjectNode();
        body.put("jsonrpc", "2.0");
        body.put("method", "runCmds");
        ObjectNode params = body.putObject("params");
        params.put("version", 1);
        ArrayNode cmds = params.putArray("cmds");
        commands.forEach(cmds::add);
        params.put("format", "json");
        body.put("id", "conveyor-" + requestIds.incrementAndGet());
        return body.toString();
    }

    private List<JsonNode> results(HttpResponse<String> response, List<String> commands) {
        int status = response.statusCode();
        if (status >= 500) {
            throw new SwitchUnavailableException(commandUri, "HTTP " + status, null);
        }
        if (status != 200) {
            throw new SwitchProtocolException(commandUri, "HTTP " + status
                    + (status == 401 || status == 403 ? " (check the switch credentials)" : ""), null);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new SwitchProtocolException(commandUri, "response is not JSON", e);
        }
        JsonNode error = body.path("error");
        if (error.isObject()) {
            throw commandError(error, commands);
        }
        JsonNode result = body.path("result");
        if (!result.isArray() || result.size() != commands.size()) {
            throw new SwitchProtocolException(commandUri,
                    "expected a result array of " + commands.size() + " entries, got " + result.getNodeType(), null);
        }
        List<JsonNode> results = new ArrayList<>(result.size());
        result.forEach(results::add);
        return List.copyOf(results);
    }

    /** eAPI's error data holds the results up to and including the failed command, which is last. */
    private SwitchCommandException commandError(JsonNode error, List<String> commands) {
        JsonNode data = error.path("data");
        int failedIndex = data.isArray() ? data.size() - 1 : -1;
        String command = failedIndex >= 0 && failedIndex < commands.size() ? commands.get(failedIndex) : "";
        String message = error.path("message").asText("no message");
        JsonNode details = failedIndex >= 0 ? data.get(failedIndex).path("errors") : null;
        if (details != null && details.isArray() && !details.isEmpty()) {
            message = message + ": " + details.get(0).asText();
        }
        return new SwitchCommandException(commandUri, error.path("code").asInt(), message, command);
    }



    URI commandUri() {
        return commandUri;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() {
        http.close();
    }
}
