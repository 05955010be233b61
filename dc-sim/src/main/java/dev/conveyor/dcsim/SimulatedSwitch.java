package dev.conveyor.dcsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.conveyor.device.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A switch's eAPI: JSON-RPC 2.0 {@code runCmds} at {@code POST /command-api} with basic
 * authentication. Show commands answer from {@link SwitchOutputs}; configuration lines are staged
 * in a {@code configure session} and applied on {@code commit}. A line whose first word EOS would
 * not know is refused the way EOS refuses it (error 1002, naming the command), so a badly rendered
 * template fails visibly.
 */
final class SimulatedSwitch implements HttpHandler {
    static final int INVALID_COMMAND = 1002;
    private static final Set<String> CONFIG_KEYWORDS = Set.of("!", "hostname", "interface", "description", "ip",
            "ipv6", "router", "neighbor", "network", "no", "shutdown", "switchport", "vlan", "mtu", "end", "exit",
            "username", "ntp", "logging", "management", "spanning-tree", "bgp", "maximum-paths", "redistribute",
            "address-family", "daemon", "service", "dns", "snmp-server", "speed", "channel-group", "route-map",
            "router-id", "lldp", "banner", "clock", "aaa", "peer-filter", "peer", "activate");

    private final SwitchOutputs outputs;
    private final Credentials credentials;
    private final ObjectMapper json;
    /** The lines of the last committed session; replaced atomically by request threads. */
    private final AtomicReference<List<String>> committed = new AtomicReference<>(List.of());

    SimulatedSwitch(SwitchOutputs outputs, Credentials credentials, ObjectMapper json) {
        this.outputs = outputs;
        this.credentials = credentials;
        this.json = json;
    }

    List<String> committedConfig() {
        return committed.get();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/command-api")) {
            HttpResponses.text(exchange, 404, "not found");
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            HttpResponses.text(exchange, 405, "eAPI takes POST");
            return;
        }
        if (!credentials.basicAuthorization().equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"eAPI\"");
            HttpResponses.text(exchange, 401, "Unable to authenticate user");
            return;
        }
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            request = json.readTree(in);
        } catch (IOException e) {
            HttpResponses.json(exchange, 200, error(null, -32700, "Parse error", json.createArrayNode()));
            return;
        }
        HttpResponses.json(exchange, 200, answer(request));
    }

    private ObjectNode answer(JsonNode request) {
        JsonNode id = request.path("id");
        if (!"runCmds".equals(request.path("method").asText())) {
            return error(id, -32601, "Method not found", json.createArrayNode());
        }
        JsonNode params = request.path("params");
        if (params.path("version").asInt() != 1 || !params.path("cmds").isArray()) {
            return error(id, -32602, "Invalid params: expected version 1 and a cmds array", json.createArrayNode());
        }
        List<String> commands = new ArrayList<>();
        params.path("cmds").forEach(cmd -> commands.add(cmd.isObject() ? cmd.path("cmd").asText() : cmd.asText()));
        return run(id, commands);
    }

    private ObjectNode run(JsonNode id, List<String> commands) {
        ArrayNode results = json.createArrayNode();
        List<String> staged = null;
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i).strip();
            String lower = command.toLowerCase(Locale.ROOT);
            Optional<ObjectNode> output = outputs.show(command);
            if (output.isPresent()) {
                results.add(output.get());
            } else if (lower.equals("enable")) {
                results.addObject();
            } else if (lower.startsWith("configure session ")) {
                staged = new ArrayList<>();
                results.addObject();
            } else if (staged != null && lower.equals("commit")) {
                committed.set(List.copyOf(staged));
                staged = null;
                results.addObject();
            } else if (staged != null && lower.equals("abort")) {
                staged = null;
                results.addObject();
            } else if (staged != null && CONFIG_KEYWORDS.contains(lower.split("\\s+")[0])) {
                staged.add(command);
                results.addObject();
            } else {
                results.addObject().putArray("errors").add("Invalid input (at token 0: '" + command.split("\\s+")[0] + "')");
                return error(id, INVALID_COMMAND, "CLI command " + (i + 1) + " of " + commands.size() + " '" + command
                        + "' failed: invalid command", results);
            }
        }
        ObjectNode response = json.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", id);
        response.set("result", results);
        return response;
    }

    private ObjectNode error(JsonNode id, int code, String message, ArrayNode data) {
        ObjectNode response = json.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", id);
        ObjectNode error = response.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.set("data", data);
        return response;
    }
}
