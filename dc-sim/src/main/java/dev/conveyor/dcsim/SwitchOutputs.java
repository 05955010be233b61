package dev.conveyor.dcsim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.rack.CablingEntry;
import dev.conveyor.rack.SwitchSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON output of the show commands of one simulated Arista switch, in the shapes EOS prints
 * ({@code | json}), derived from the manifest entry and the switch's current faults. Includes fields
 * a driver does not read, as EOS does.
 */
final class SwitchOutputs {
    static final int FAN_TRAYS = 4;
    static final List<String> POWER_SUPPLY_SLOTS = List.of("1", "2");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SwitchSpec spec;
    private final DeviceFaults faults;
    private final Instant bootTime;

    SwitchOutputs(SwitchSpec spec, DeviceFaults faults, Instant bootTime) {
        this.spec = spec;
        this.faults = faults;
        this.bootTime = bootTime;
    }

    /** The output of a show command, or empty when the simulator does not know the command. */
    Optional<ObjectNode> show(String command) {
        return Optional.ofNullable(switch (command.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ")) {
            case "show version" -> version();
            case "show lldp neighbors" -> lldpNeighbors();
            case "show environment cooling" -> cooling();
            case "show environment power" -> power();
            case "show interfaces status" -> interfaces();
            case "show ip bgp summary" -> bgpSummary();
            default -> null;
        });
    }

    private ObjectNode version() {
        ObjectNode out = NODES.objectNode();
        String version = faults.first(Fault.WrongOsVersion.class).map(Fault.WrongOsVersion::version).orElse(spec.osVersion());
        out.put("mfgName", "Arista");
        out.put("modelName", spec.model());
        out.put("hardwareRevision", "11.02");
        out.put("serialNumber", faults.first(Fault.WrongSerial.class).map(Fault.WrongSerial::serial).orElse(spec.serial()));
        out.put("systemMacAddress", systemMac());
        out.put("hwMacAddress", systemMac());
        out.put("configMacAddress", "00:00:00:00:00:00");
        out.put("version", version);
        out.put("architecture", "x86_64");
        out.put("internalVersion", version + "-35000000.sim");
        out.put("internalBuildId", "5b7c1f2e-0000-4000-8000-000000000000");
        out.put("imageFormatVersion", "3.0");
        out.put("imageOptimization", "Default");
        out.put("bootupTimestamp", bootTime.getEpochSecond());
        out.put("uptime", Math.max(0, Instant.now().getEpochSecond() - bootTime.getEpochSecond()));
        out.put("memTotal", 8_099_516);
        out.put("memFree", 5_112_380);
        out.put("isIntlVersion", false);
        return out;
    }

    private ObjectNode lldpNeighbors() {
        ObjectNode out = NODES.objectNode();
        out.put("tablesLastChangeTime", bootTime.getEpochSecond());
        out.put("tablesAgeOuts", 0);
        out.put("tablesInserts", spec.cabling().size());
        out.put("tablesDeletes", 0);
        out.put("tablesDrops", 0);
        ArrayNode neighbors = out.putArray("lldpNeighbors");
        for (CablingEntry cable : observedCabling()) {
            neighbors.addObject()
                    .put("port", cable.port())
                    .put("neighborDevice", cable.neighbor())
                    .put("neighborPort", cable.neighborPort())
                    .put("ttl", 120);
        }
        return out;
    }

    /** The plan, with swapped pairs exchanged and missing cables removed. */
    private List<CablingEntry> observedCabling() {
        List<CablingEntry> observed = new ArrayList<>();
        for (CablingEntry planned : spec.cabling()) {
            if (missingCable(planned.port())) {
                continue;
            }
            CablingEntry actual = planned;
            for (Fault.SwappedCables swap : faults.all(Fault.SwappedCables.class).toList()) {
                String other = planned.port().equals(swap.portA()) ? swap.portB()
                        : planned.port().equals(swap.portB()) ? swap.portA() : null;
                if (other != null) {
                    CablingEntry otherEnd = spec.cabling().stream().filter(c -> c.port().equals(other)).findFirst()
                            .orElse(planned);
                    actual = new CablingEntry(planned.port(), otherEnd.neighbor(), otherEnd.neighborPort());
                }
            }
            observed.add(actual);
        }
        return observed;
    }

    private boolean missingCable(String port) {
        return faults.all(Fault.MissingCable.class).anyMatch(fault -> fault.port().equals(port));
    }

    private ObjectNode cooling() {
        ObjectNode out = NODES.objectNode();
        boolean failed = faults.has(Fault.FailedFan.class);
        out.put("systemStatus", failed ? "coolingKo" : "coolingOk");
        out.put("airflowDirection", "frontToBackAirflow");
        out.put("overrideFanSpeed", 0);
        out.put("minFanSpeed", 0);
        out.put("ambientTemperature", 24.5);
        out.put("currentZones", 1);
        out.put("configuredZones", 0);
        out.put("defaultZones", false);
        ArrayNode trays = out.putArray("fanTraySlots");
        for (int tray = 1; tray <= FAN_TRAYS; tray++) {
            fanSlot(trays, Integer.toString(tray), tray + "/1");
        }
        ArrayNode supplies = out.putArray("powerSupplySlots");
        for (String slot : POWER_SUPPLY_SLOTS) {
            fanSlot(supplies, "PowerSupply" + slot, "PowerSupply" + slot + "/1");
        }
        return out;
    }

    private void fanSlot(ArrayNode slots, String slotLabel, String fanLabel) {
        boolean failed = faults.all(Fault.FailedFan.class).anyMatch(fault -> fault.name().equals(fanLabel));
        ObjectNode slot = slots.addObject();
        slot.put("label", slotLabel);
        slot.put("status", failed ? "failed" : "ok");
        slot.put("speed", 40);
        ObjectNode fan = slot.putArray("fans").addObject();
        fan.put("label", fanLabel);
        fan.put("status", failed ? "failed" : "ok");
        fan.put("actualSpeed", failed ? 0 : 40);
        fan.put("configuredSpeed", 40);
        fan.put("maxSpeed", 17500);
        fan.put("speedHwOverride", false);
        fan.put("speedStable", !failed);
        fan.put("uptime", bootTime.getEpochSecond());
    }

    private ObjectNode power() {
        ObjectNode out = NODES.objectNode();
        ObjectNode supplies = out.putObject("powerSupplies");
        for (String slot : POWER_SUPPLY_SLOTS) {
            boolean failed = faults.all(Fault.FailedPowerSupply.class).anyMatch(fault -> fault.name().equals(slot));
            ObjectNode supply = supplies.putObject(slot);
            supply.put("modelName", "PWR-500AC-F");
            supply.put("capacity", 500.0);
            supply.put("dominant", false);
            supply.put("inputCurrent", failed ? 0.0 : 0.61);
            supply.put("outputCurrent", failed ? 0.0 : 11.5);
            supply.put("inputVoltage", failed ? 0.0 : 229.5);
            supply.put("outputVoltage", failed ? 0.0 : 12.0);
            supply.put("outputPower", failed ? 0.0 : 138.0);
            supply.put("state", failed ? "powerLoss" : "ok");
            supply.put("uptime", bootTime.getEpochSecond());
            supply.putObject("tempSensors").putObject("TempSensorP" + slot + "/1").put("status", "ok").put("temperature", 31.0);
            supply.putObject("fans").putObject("FanP" + slot + "/1").put("status", failed ? "failed" : "ok").put("speed", 40);
        }
        return out;
    }

    private ObjectNode interfaces() {
        ObjectNode out = NODES.objectNode();
        ObjectNode statuses = out.putObject("interfaceStatuses");
        interfaceStatus(statuses, "Management1", true, 1_000_000_000L, "10/100/1000");
        for (CablingEntry cable : spec.cabling()) {
            interfaceStatus(statuses, cable.port(), !missingCable(cable.port()), 25_000_000_000L, "25GBASE-CR");
        }
        return out;
    }

    private static void interfaceStatus(ObjectNode statuses, String name, boolean up, long bandwidth, String type) {
        ObjectNode port = statuses.putObject(name);
        port.putObject("vlanInformation").put("interfaceMode", "routed").put("interfaceForwardingModel", "routed");
        port.put("bandwidth", bandwidth);
        port.put("interfaceType", type);
        port.put("description", "");
        port.put("autoNegotiateActive", false);
        port.put("duplex", "duplexFull");
        port.put("linkStatus", up ? "connected" : "notconnect");
        port.put("lineProtocolStatus", up ? "up" : "down");
    }

    private ObjectNode bgpSummary() {
        ObjectNode out = NODES.objectNode();
        ObjectNode vrf = out.putObject("vrfs").putObject("default");
        vrf.put("vrf", "default");
        vrf.put("routerId", "10.255.0." + (Math.abs(spec.hostname().hashCode()) % 250 + 1));
        vrf.put("asn", spec.config().variables().getOrDefault("asn", "65000"));
        ObjectNode peers = vrf.putObject("peers");
        for (String peer : spec.bgpPeers()) {
            peers.putObject(peer)
                    .put("description", "uplink")
                    .put("version", 4)
                    .put("msgReceived", 1200)
                    .put("msgSent", 1180)
                    .put("inMsgQueue", 0)
                    .put("outMsgQueue", 0)
                    .put("asn", spec.config().variables().getOrDefault("peer_asn", "65100"))
                    .put("prefixAccepted", 12)
                    .put("prefixReceived", 12)
                    .put("upDownTime", bootTime.getEpochSecond())
                    .put("underMaintenance", false)
                    .put("peerState", "Established");
        }
        return out;
    }

    private String systemMac() {
        int hash = spec.serial().hashCode();
        return String.format("28:99:3a:%02x:%02x:%02x", (hash >> 16) & 0xff, (hash >> 8) & 0xff, hash & 0xff);
    }
}
