package dev.conveyor.dcsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin endpoint's provisioning resources:
 *
 * <pre>
 * GET /provisioning-times              {"taskMillis": 3000, "resetMillis": 2000}
 * PUT /provisioning-times              the same body: how long update tasks and resets take from now on
 * GET /devices/{serial}/provisioning   power state, writes, resets, boots, installed firmware, BIOS attributes
 * </pre>
 *
 * The faults of provisioning are injected like any other: {@code {"type": "image-fails",
 * "component": "BIOS"}} and {@code {"type": "reset-hangs"}}.
 */
final class ProvisioningAdmin {
    private static final Pattern DEVICE = Pattern.compile("/devices/([^/]+)/provisioning");

    private final SimulatedRack rack;
    private final ObjectMapper json;

    ProvisioningAdmin(SimulatedRack rack, ObjectMapper json) {
        this.rack = rack;
        this.json = json;
    }

    /** @return false when the request is not about provisioning */
    boolean handle(HttpExchange exchange, String method, String path) throws IOException {
        Matcher device = DEVICE.matcher(path);
        if (path.equals("/provisioning-times")) {
            if (method.equals("PUT")) {
                setTimes(exchange);
            } else if (method.equals("GET")) {
                HttpResponses.json(exchange, 200, times());
            } else {
                HttpResponses.text(exchange, 405, method + " not allowed");
            }
            return true;
        }
        if (device.matches() && method.equals("GET")) {
            String serial = device.group(1);
            if (!rack.devices().contains(serial) || rack.isSwitch(serial)) {
                HttpResponses.text(exchange, 404, "no such server: " + serial);
            } else {
                HttpResponses.json(exchange, 200, json.valueToTree(rack.provisioning(serial).describe()));
            }
            return true;
        }
        return false;
    }

    private void setTimes(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = json.readTree(in);
        } catch (IOException e) {
            HttpResponses.text(exchange, 400, "body is not JSON");
            return;
        }
        if (body == null || !body.path("taskMillis").canConvertToLong() || !body.path("resetMillis").canConvertToLong()) {
            HttpResponses.text(exchange, 400, "taskMillis and resetMillis are required whole numbers");
            return;
        }
        try {
            rack.provisioningTimes(new ProvisioningTimes(Duration.ofMillis(body.path("taskMillis").asLong()),
                    Duration.ofMillis(body.path("resetMillis").asLong())));
        } catch (IllegalArgumentException e) {
            HttpResponses.text(exchange, 400, e.getMessage());
            return;
        }
        HttpResponses.empty(exchange, 204);
    }

    private JsonNode times() {
        ProvisioningTimes times = rack.provisioningTimes();
        return json.createObjectNode().put("taskMillis", times.task().toMillis()).put("resetMillis", times.reset().toMillis());
    }
}
