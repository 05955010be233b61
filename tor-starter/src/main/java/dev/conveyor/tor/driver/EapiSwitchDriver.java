package dev.conveyor.tor.driver;

import dev.conveyor.device.ExchangeListener;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@link SwitchDriver} for Arista EOS's eAPI. Responses are read in the shapes of EOS's JSON
 * output; fields this driver does not use are ignored, so newer EOS releases that add fields keep
 * working.
 */
public final class EapiSwitchDriver implements SwitchDriver {
    private static final Pattern SESSION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final EapiTransport transport;

    private EapiSwitchDriver(EapiTransport transport) {
        this.transport = transport;
    }

    /** Makes no request yet; each method call is one eAPI request. */
    public static EapiSwitchDriver open(EapiConfig config, ExchangeListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        return new EapiSwitchDriver(new EapiTransport(config, JSON, listener));
    }

    @Override
    public SwitchFacts facts() {
        ResponseReader version = show("show version");
        return new SwitchFacts(version.text("modelName"), version.text("serialNumber"), version.text("version"),
                version.optionalText("systemMacAddress"));
    }

    @Override
    public List<LldpNeighbor> lldpNeighbors() {
        ResponseReader lldp = show("show lldp neighbors");
        List<LldpNeighbor> neighbors = new ArrayList<>();
        for (ResponseReader neighbor : lldp.array("lldpNeighbors")) {
            neighbors.add(new LldpNeighbor(neighbor.text("port"), neighbor.text("neighborDevice"),
                    neighbor.text("neighborPort"), neighbor.node().path("ttl").asInt()));
        }
        return neighbors;
    }

    @Override
    public List<FanStatus> fans() {
        ResponseReader cooling = show("show environment cooling");
        List<FanStatus> fans = new ArrayList<>();
        for (String slots : List.of("fanTraySlots", "powerSupplySlots")) {
            for (ResponseReader slot : cooling.optionalArray(slots)) {
                for (ResponseReader fan : slot.array("fans")) {
                    fans.add(new FanStatus(slot.text("label"), fan.text("label"), fan.text("status")));
                }
            }
        }
        return fans;
    }

    @Override
    public List<PowerSupplyStatus> powerSupplies() {
        ResponseReader power = show("show environment power");
        List<PowerSupplyStatus> supplies = new ArrayList<>();
        for (Map.Entry<String, ResponseReader> slot : power.object("powerSupplies")) {
            ResponseReader supply = slot.getValue();
            supplies.add(new PowerSupplyStatus(slot.getKey(), supply.optionalText("modelName"), supply.text("state")));
        }
        return supplies;
    }

    @Override
    public List<InterfaceStatus> interfaces() {
        ResponseReader status = show("show interfaces status");
        List<InterfaceStatus> interfaces = new ArrayList<>();
        for (Map.Entry<String, ResponseReader> entry : status.object("interfaceStatuses")) {
            ResponseReader port = entry.getValue();
            interfaces.add(new InterfaceStatus(entry.getKey(), port.text("linkStatus"),
                    port.optionalText("lineProtocolStatus"), port.node().path("bandwidth").asLong()));
        }
        return interfaces;
    }

    @Override
    public List<BgpPeer> bgpPeers() {
        ResponseReader summary = show("show ip bgp summary");
        List<BgpPeer> peers = new ArrayList<>();
        for (Map.Entry<String, ResponseReader> vrf : summary.object("vrfs")) {
            for (Map.Entry<String, ResponseReader> peer : vrf.getValue().optionalObject("peers")) {
                // EOS prints the peer ASN as a string in newer releases and as a number in older ones.
                peers.add(new BgpPeer(vrf.getKey(), peer.getKey(), peer.getValue().node().path("asn").asText(""),
                        peer.getValue().text("peerState")));
            }
        }
        return peers;
    }

    @Override
    public void pushConfig(String sessionName, List<String> configLines) {
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw new IllegalArgumentException("session name must match " + SESSION_NAME + ": " + sessionName);
        }
        List<String> commands = new ArrayList<>(configLines.size() + 3);
        commands.add("enable");
        commands.add("configure session " + sessionName);
        configLines.stream().map(String::strip).filter(line -> !line.isEmpty()).forEach(commands::add);
        commands.add("commit");
        transport.runCmds(commands, "configure session " + sessionName + ": "
                + (commands.size() - 3) + " lines, commit");
    }

    private ResponseReader show(String command) {
        JsonNode result = transport.runCmds(List.of(command), command).getFirst();
        return new ResponseReader(transport, command, "", result);
    }

    @Override
    public void close() {
        transport.close();
    }

    /**
     * Reads one command's result and names the command and field when the shape is not EOS's, so
     * the error says exactly what was missing.
     */
    private record ResponseReader(EapiTransport transport, String command, String path, JsonNode node) {
        String text(String field) {
            JsonNode value = node.path(field);
            if (!value.isValueNode()) {
                throw shapeError(field, "a value");
            }
            return value.asText();
        }

        String optionalText(String field) {
            return node.path(field).asText("");
        }

        List<ResponseReader> array(String field) {
            JsonNode value = node.path(field);
            if (!value.isArray()) {
                throw shapeError(field, "an array");
            }
            return elements(field, value);
        }

        List<ResponseReader> optionalArray(String field) {
            JsonNode value = node.path(field);
            return value.isArray() ? elements(field, value) : List.of();
        }

        Iterable<Map.Entry<String, ResponseReader>> object(String field) {
            JsonNode value = node.path(field);
            if (!value.isObject()) {
                throw shapeError(field, "an object");
            }
            return entries(field, value);
        }

        Iterable<Map.Entry<String, ResponseReader>> optionalObject(String field) {
            JsonNode value = node.path(field);
            return value.isObject() ? entries(field, value) : List.of();
        }

        private List<ResponseReader> elements(String field, JsonNode array) {
            List<ResponseReader> elements = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                elements.add(new ResponseReader(transport, command, child(field) + "[" + i + "]", array.get(i)));
            }
            return elements;
        }

        private Iterable<Map.Entry<String, ResponseReader>> entries(String field, JsonNode object) {
            List<Map.Entry<String, ResponseReader>> entries = new ArrayList<>(object.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                entries.add(Map.entry(entry.getKey(),
                        new ResponseReader(transport, command, child(field) + "." + entry.getKey(), entry.getValue())));
            }
            return entries;
        }

        private String child(String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        private SwitchProtocolException shapeError(String field, String expected) {
            return new SwitchProtocolException(transport.commandUri(),
                    "'" + command + "': expected " + expected + " at " + child(field), null);
        }
    }
}
