package dev.conveyor.dcsim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's control panel, plain HTTP on loopback only (it changes what devices report, so it
 * is never exposed beyond the machine):
 *
 * <pre>
 * GET    /devices                 every device, its URL and its faults
 * GET    /devices/{id}/faults     one device's faults
 * POST   /devices/{id}/faults     inject one fault, e.g. {"type":"failed-fan","name":"Fan 2"}
 * DELETE /devices/{id}/faults     clear the device's faults
 * GET    /certificate             the devices' certificate (PEM), to pin
 * GET    /manifest                the manifest with the served addresses (YAML)
 * GET|PUT /provisioning-times, GET /devices/{serial}/provisioning   see {@link ProvisioningAdmin}
 * </pre>
 *
 * Devices are named by server serial or switch hostname.
 */
final class AdminEndpoint implements AutoCloseable {
    private static final Pattern DEVICE_FAULTS = Pattern.compile("/devices/([^/]+)/faults");

    private final SimulatedRack rack;
    private final ObjectMapper json;
    private final HttpServer server;
    private final ProvisioningAdmin provisioning;

    private AdminEndpoint(SimulatedRack rack, ObjectMapper json, HttpServer server) {
        this.rack = rack;
        this.json = json;
        this.server = server;
        this.provisioning = new ProvisioningAdmin(rack, json);
    }

    static AdminEndpoint start(SimulatedRack rack, ObjectMapper json, int port, ExecutorService executor) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            AdminEndpoint admin = new AdminEndpoint(rack, json, server);
            server.setExecutor(executor);
            server.createContext("/", admin::handle);
            server.start();
            return admin;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the admin endpoint on port " + port, e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher deviceFaults = DEVICE_FAULTS.matcher(path);
            if (method.equals("GET") && path.equals("/devices")) {
                HttpResponses.json(exchange, 200, devices());
            } else if (method.equals("GET") && path.equals("/certificate")) {
                HttpResponses.text(exchange, 200, rack.certificatePem());
            } else if (method.equals("GET") && path.equals("/manifest")) {
                HttpResponses.text(exchange, 200, ManifestCodec.write(rack.servedManifest(), ManifestFormat.YAML));
            } else if (provisioning.handle(exchange, method, path)) {
                return;
            } else if (deviceFaults.matches()) {
                faults(exchange, method, deviceFaults.group(1));
            } else {
                HttpResponses.text(exchange, 404, "no such admin resource: " + method + " " + path);
            }
        }
    }

    private void faults(HttpExchange exchange, String method, String device) throws IOException {
        if (!rack.devices().contains(device)) {
            HttpResponses.text(exchange, 404, "no such device: " + device);
            return;
        }
        DeviceFaults deviceFaults = rack.faults(device);
        switch (method) {
            case "GET" -> HttpResponses.json(exchange, 200, faultsJson(deviceFaults));
            case "DELETE" -> {
                deviceFaults.clear();
                HttpResponses.empty(exchange, 204);
            }
            case "POST" -> inject(exchange, deviceFaults);
            default -> HttpResponses.text(exchange, 405, method + " not allowed");
        }
    }

    private void inject(HttpExchange exchange, DeviceFaults deviceFaults) throws IOException {
        Fault fault;
        try (InputStream in = exchange.getRequestBody()) {
            fault = json.readValue(in, Fault.class);
        } catch (JsonProcessingException e) {
            HttpResponses.text(exchange, 400, "not a fault: " + e.getOriginalMessage());
            return;
        }
        try {
            deviceFaults.inject(fault);
        } catch (IllegalArgumentException e) {
            HttpResponses.text(exchange, 400, e.getMessage());
            return;
        }
        HttpResponses.empty(exchange, 204);
    }

    private ObjectNode devices() {
        ObjectNode devices = json.createObjectNode();
        for (String device : rack.devices()) {
            ObjectNode entry = devices.putObject(device);
            entry.put("kind", rack.isSwitch(device) ? "switch" : "bmc");
            entry.put("url", rack.deviceUri(device).toString());
            entry.set("faults", faultsJson(rack.faults(device)));
        }
        return devices;
    }

    /** Each fault on its own, so that its "type" is written: inside a List Jackson would drop it. */
    private ArrayNode faultsJson(DeviceFaults deviceFaults) {
        ArrayNode faults = json.createArrayNode();
        deviceFaults.list().forEach(fault -> faults.add((JsonNode) json.valueToTree(fault)));
        return faults;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
