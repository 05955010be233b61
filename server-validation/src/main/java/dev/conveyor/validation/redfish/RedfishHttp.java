package dev.conveyor.validation.redfish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.device.Credentials;
import dev.conveyor.device.Exchange;
import dev.conveyor.device.ExchangeListener;
import dev.conveyor.device.TransportFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP side of the Redfish client: requests with the right headers and authentication, one
 * {@link Exchange} reported per request, and every failure turned into a retryable or permanent
 * {@link RedfishException} that names the URL.
 *
 * <p>Only URLs on the BMC's own origin are fetched: a link that points elsewhere would send the
 * BMC's credentials to another host.
 */
final class RedfishHttp implements AutoCloseable {
    private final RedfishConfig config;
    private final HttpClient http;
    private final ObjectMapper json;
    private final ExchangeListener listener;
    /** Written once by the thread that logs in, before any other request is made. */
    private String sessionToken;

    RedfishHttp(RedfishConfig config, ObjectMapper json, ExchangeListener listener) {
        this.config = config;
        this.json = json;
        this.listener = listener;
        this.http = HttpClient.newBuilder()
                .sslContext(config.tls().sslContext())
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Resolves an {@code @odata.id} (a path, or a full URL on the same origin) against the BMC. */
    URI resolve(String odataId) {
        URI uri = config.baseUri().resolve(odataId);
        URI base = config.baseUri();
        if (!Objects.equals(uri.getScheme(), base.getScheme()) || !Objects.equals(uri.getHost(), base.getHost())
                || uri.getPort() != base.getPort()) {
            throw new RedfishProtocolException(uri, 0, "link leaves the BMC's origin " + base, null);
        }
        return uri;
    }

    JsonNode get(URI uri, boolean authenticated) {
        HttpRequest.Builder request = request(uri, authenticated).GET();
        HttpResponse<String> response = send("GET", uri, request);
        requireSuccess(uri, response);
        return parse(uri, response.body());
    }

    /**
     * Logs in (DSP0266 §13.3.4) and keeps the token for later requests.
     *
     * @return the session's URL, to delete at the end
     */
    URI login(URI sessions, Credentials credentials) {
        String body = json.createObjectNode()
                .put("UserName", credentials.username())
                .put("Password", credentials.password())
                .toString();
        HttpRequest.Builder request = request(sessions, false)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = send("POST", sessions, request);
        requireSuccess(sessions, response);
        String token = response.headers().firstValue("X-Auth-Token")
                .orElseThrow(() -> new RedfishProtocolException(sessions, response.statusCode(),
                        "session created without an X-Auth-Token header", null));
        String location = response.headers().firstValue("Location")
                .orElseGet(() -> parse(sessions, response.body()).path("@odata.id").asText(""));
        if (location.isEmpty()) {
            throw new RedfishProtocolException(sessions, response.statusCode(),
                    "session created without a Location header or @odata.id", null);
        }
        sessionToken = token;
        return resolve(location);
    }

    /** Deletes the session; a failure is reported to the caller, who may only log it. */
    void logout(URI session) {
        HttpResponse<String> response = send("DELETE", session, request(session, true).DELETE());
        requireSuccess(session, response);
        sessionToken = null;
    }

    /**
     * An action or update (POST, PATCH) or a read that may answer 202 or 204, such as a task monitor
     * (DSP0266 §13.2): the status, the {@code Location} header and the body (an empty object when
     * there is none). 4xx is refused ({@link RedfishProtocolException}), 5xx unavailable.
     *
     * @param note what the request asked for, e.g. the body, for the job's event ({@link Exchange})
     */
    RedfishReply exchange(String method, URI uri, JsonNode body, String note) {
        HttpRequest.Builder request = request(uri, true);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> response = send(method, uri, request, note);
        requireSuccess(uri, response);
        JsonNode parsed = response.body() == null || response.body().isBlank() ? json.createObjectNode()
                : parse(uri, response.body());
        return new RedfishReply(response.statusCode(), response.headers().firstValue("Location"), parsed);
    }

    private HttpRequest.Builder request(URI uri, boolean authenticated) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .header("OData-Version", "4.0");
        if (authenticated) {
            if (sessionToken != null) {
                builder.header("X-Auth-Token", sessionToken);
            } else {
                builder.header("Authorization", config.credentials().basicAuthorization());
            }
        }
        return builder;
    }

    private HttpResponse<String> send(String method, URI uri, HttpRequest.Builder request) {
        return send(method, uri, request, "");
    }

    private HttpResponse<String> send(String method, URI uri, HttpRequest.Builder request, String note) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            listener.onExchange(Exchange.responded(method, uri, note, response.statusCode(), since(started)));
            return response;
        } catch (IOException e) {
            String failure = TransportFailure.describe(e);
            listener.onExchange(Exchange.failed(method, uri, note, failure, since(started)));
            if (TransportFailure.untrustedCertificate(e)) {
                throw new RedfishProtocolException(uri, 0, TransportFailure.certificateProblem(e, uri.getHost()), e);
            }
            throw new RedfishUnavailableException(uri, failure, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.onExchange(Exchange.failed(method, uri, note, "interrupted", since(started)));
            throw new RedfishUnavailableException(uri, "interrupted while waiting for the BMC", e);
        }
    }

    private void requireSuccess(URI uri, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500) {
            throw new RedfishUnavailableException(uri, "HTTP " + status + messageOf(response), null);
        }
        if (status >= 300) {
            String hint = status == 401 || status == 403 ? " (check the BMC credentials)" : "";
            throw new RedfishProtocolException(uri, status, "HTTP " + status + hint + messageOf(response), null);
        }
    }

    /** The first message of a Redfish error body (DSP0266 §9.6), when there is one. */
    private String messageOf(HttpResponse<String> response) {
        try {
            String message = json.readTree(response.body()).path("error").path("message").asText("");
            return message.isEmpty() ? "" : ": " + message;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return "";
        }
    }

    private JsonNode parse(URI uri, String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new RedfishProtocolException(uri, 0, "response is not a JSON object", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RedfishProtocolException(uri, 0, "response is not JSON: " + e.getOriginalMessage(), e);
        }
    }



    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() {
        http.close();
    }
}
