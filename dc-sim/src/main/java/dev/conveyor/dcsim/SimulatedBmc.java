package dev.conveyor.dcsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.conveyor.device.Credentials;
import dev.conveyor.rack.HardwareProfile;
import dev.conveyor.rack.ServerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server's BMC: answers Redfish GETs from {@link BmcResources}, provisioning's actions and
 * updates through {@link BmcActions}, and authenticates the way
 * DSP0266 describes: the service root is open, every other resource needs basic authentication or
 * the {@code X-Auth-Token} of a session created by POST to {@code SessionService/Sessions}.
 */
final class SimulatedBmc implements HttpHandler {
    private static final String SESSIONS = BmcResources.ROOT + "/SessionService/Sessions";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServerSpec server;
    private final HardwareProfile profile;
    private final DeviceFaults faults;
    private final Credentials credentials;
    private final ObjectMapper json;
    private final Instant bootTime;
    private final BmcActions actions;
    /** Session id by token; written by request threads. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

    SimulatedBmc(ServerSpec server, HardwareProfile profile, DeviceFaults faults, Credentials credentials,
            ObjectMapper json, Instant bootTime, BmcProvisioning provisioning) {
        this.server = server;
        this.profile = profile;
        this.faults = faults;
        this.credentials = credentials;
        this.json = json;
        this.bootTime = bootTime;
        this.actions = new BmcActions(provisioning, json);
    }

    int openSessions() {
        return sessions.size();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String method = exchange.getRequestMethod();
        if (method.equals("POST") && path.equals(SESSIONS)) {
            login(exchange);
            return;
        }
        boolean open = path.equals("/redfish") || path.equals(BmcResources.ROOT);
        if (!open && !authenticated(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"dc-sim\"");
            HttpResponses.json(exchange, 401, error("Base.1.8.NoValidSession", "authentication required"));
            return;
        }
        switch (method) {
            case "GET" -> get(exchange, path);
            case "DELETE" -> delete(exchange, path);
            case "POST", "PATCH" -> write(exchange, method, path);
            default -> HttpResponses.json(exchange, 405, error("Base.1.8.OperationNotAllowed", method + " not allowed"));
        }
    }

    private void get(HttpExchange exchange, String path) throws IOException {
        if (path.equals("/redfish")) {
            HttpResponses.json(exchange, 200, json.createObjectNode().put("v1", BmcResources.ROOT + "/"));
            return;
        }
        if (actions.get(exchange, path)) {
            return;
        }
        // A page of a paged collection is its URL with a query ($skip); any other query is ignored.
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, ObjectNode> tree = tree();
        ObjectNode resource = query == null ? tree.get(path)
                : tree.getOrDefault(path + "?" + URLDecoder.decode(query, StandardCharsets.UTF_8), tree.get(path));
        if (resource == null) {
            HttpResponses.json(exchange, 404, error("Base.1.8.ResourceMissingAtURI", path + " does not exist"));
        } else {
            HttpResponses.json(exchange, 200, resource);
        }
    }

    /** The resources as they are now: the inventory and faults, with what provisioning changed. */
    private Map<String, ObjectNode> tree() {
        Map<String, ObjectNode> resources = BmcResources.build(server, profile, faults, bootTime,
                Set.copyOf(sessions.values()));
        actions.decorate(resources);
        return resources;
    }

    private void write(HttpExchange exchange, String method, String path) throws IOException {
        String system = tree().entrySet().stream()
                .filter(e -> e.getValue().path("@odata.type").asText("").startsWith("#ComputerSystem."))
                .map(Map.Entry::getKey).findFirst().orElse("");
        if (!actions.write(exchange, method, path, system)) {
            HttpResponses.json(exchange, 405, error("Base.1.8.OperationNotAllowed", method + " not allowed on " + path));
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = json.readTree(in);
        } catch (IOException e) {
            HttpResponses.json(exchange, 400, error("Base.1.8.MalformedJSON", "request body is not JSON"));
            return;
        }
        Credentials offered;
        try {
            offered = new Credentials(body.path("UserName").asText(""), body.path("Password").asText(""));
        } catch (IllegalArgumentException e) {
            HttpResponses.json(exchange, 400, error("Base.1.8.PropertyMissing", "UserName is required"));
            return;
        }
        if (!offered.equals(credentials)) {
            HttpResponses.json(exchange, 401, error("Base.1.8.NoValidSession", "invalid credentials"));
            return;
        }
        String id = "s" + HexFormat.of().formatHex(bytes(4));
        String token = HexFormat.of().formatHex(bytes(16));
        sessions.put(token, id);
        String location = SESSIONS + "/" + id;
        ObjectNode session = json.createObjectNode()
                .put("@odata.id", location)
                .put("@odata.type", "#Session.v1_7_0.Session")
                .put("Id", id)
                .put("Name", "User Session")
                .put("UserName", offered.username());
        exchange.getResponseHeaders().set("X-Auth-Token", token);
        exchange.getResponseHeaders().set("Location", location);
        HttpResponses.json(exchange, 201, session);
    }

    private void delete(HttpExchange exchange, String path) throws IOException {
        if (path.startsWith(SESSIONS + "/") && sessions.values().remove(path.substring(SESSIONS.length() + 1))) {
            HttpResponses.empty(exchange, 204);
        } else {
            HttpResponses.json(exchange, 405, error("Base.1.8.OperationNotAllowed", "DELETE not allowed on " + path));
        }
    }

    private boolean authenticated(HttpExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        if (token != null) {
            return sessions.containsKey(token);
        }
        return credentials.basicAuthorization().equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private ObjectNode error(String code, String message) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return body;
    }

    private static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
