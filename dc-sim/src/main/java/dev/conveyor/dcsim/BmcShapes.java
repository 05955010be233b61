package dev.conveyor.dcsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reshapes a BMC's resource tree the way other vendors' BMCs report the same hardware, after
 * {@link BmcResources} has built it, by the {@link Fault.BmcShape}s a test injects. The shapes
 * follow DSP0268 and the vendors' published examples: FPGA and GPU {@code Processor}s and absent
 * sockets (iDRAC, iLO), {@code SimpleStorage} (older iLO and OpenBMC), absent drive bays (iLO),
 * VLAN members of {@code EthernetInterfaces} (OpenBMC), the host interface's USB NIC among the
 * system's interfaces (XClarity "ToManager", iLO "Virtual NIC"), {@code ThermalSubsystem} with
 * {@code ThermalMetrics} and {@code Sensors} (Redfish 2020.4 on, OpenBMC), and a paged SEL.
 */
final class BmcShapes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, ObjectNode> tree;
    private final DeviceFaults faults;
    private final String system;
    private final String chassis;
    private final String manager;

    private BmcShapes(Map<String, ObjectNode> tree, DeviceFaults faults) {
        this.tree = tree;
        this.faults = faults;
        this.system = firstMember(BmcResources.ROOT + "/Systems");
        this.chassis = firstMember(BmcResources.ROOT + "/Chassis");
        this.manager = firstMember(BmcResources.ROOT + "/Managers");
    }

    /** Applies every shape among the device's faults to the tree, in place. */
    static void apply(Map<String, ObjectNode> tree, DeviceFaults faults) {
        BmcShapes shapes = new BmcShapes(tree, faults);
        shapes.processors();
        shapes.storage();
        shapes.nics();
        shapes.thermal();
        shapes.power();
        shapes.log();
    }

    private void processors() {
        String collection = system + "/Processors";
        int n = 0;
        for (Fault.ExtraProcessor extra : faults.all(Fault.ExtraProcessor.class).toList()) {
            n++;
            ObjectNode p = add(collection, collection + "/" + extra.processorType() + ".Slot." + n,
                    "#Processor.v1_18_0.Processor", extra.processorType() + " " + n);
            p.put("ProcessorType", extra.processorType());
            p.put("Model", extra.model());
            p.set("Status", status("Enabled", "OK"));
        }
        int sockets = tree.get(collection).path("Members").size();
        for (Fault.AbsentCpuSocket ignored : faults.all(Fault.AbsentCpuSocket.class).toList()) {
            ObjectNode p = add(collection, collection + "/CPU.Socket." + sockets, "#Processor.v1_18_0.Processor",
                    "CPU " + (++sockets));
            p.put("ProcessorType", "CPU");
            p.set("Status", status("Absent", null));
        }
    }

    private void storage() {
        String controller = system + "/Storage/RAID.Integrated.0";
        ArrayNode links = (ArrayNode) tree.get(controller).path("Drives");
        int bays = links.size();
        for (Fault.AbsentDriveBay ignored : faults.all(Fault.AbsentDriveBay.class).toList()) {
            String id = controller + "/Drives/Disk.Bay." + bays;
            ObjectNode drive = resource(id, "#Drive.v1_17_0.Drive", "Drive " + bays++);
            drive.set("Status", status("Absent", null));
            links.add(link(id));
        }
        ((ObjectNode) tree.get(controller)).put("Drives@odata.count", links.size());
        for (Fault.DriveHealth fault : faults.all(Fault.DriveHealth.class).toList()) {
            linked(links).stream().filter(d -> d.path("Name").asText().equals(fault.name()))
                    .forEach(d -> ((ObjectNode) d.get("Status")).put("Health", fault.health()));
        }
        if (faults.has(Fault.SimpleStorageOnly.class)) {
            ObjectNode system = tree.get(this.system);
            system.remove("Storage");
            system.set("SimpleStorage", link(this.system + "/SimpleStorage"));
            String simple = this.system + "/SimpleStorage/1";
            collection(this.system + "/SimpleStorage", "#SimpleStorageCollection.SimpleStorageCollection", List.of(simple));
            ObjectNode controllerNode = resource(simple, "#SimpleStorage.v1_3_0.SimpleStorage", "Simple Storage Controller");
            controllerNode.set("Status", status("Enabled", "OK"));
            ArrayNode devices = controllerNode.putArray("Devices");
            for (ObjectNode drive : linked(links)) {
                ObjectNode device = devices.addObject();
                device.put("Name", drive.path("Name").asText());
                if (drive.has("Model")) {
                    device.put("Model", drive.path("Model").asText());
                    device.put("CapacityBytes", drive.path("CapacityBytes").asLong());
                }
                device.set("Status", drive.get("Status").deepCopy());
            }
        }
    }

    private void nics() {
        String collection = system + "/EthernetInterfaces";
        List<ObjectNode> ports = linked((ArrayNode) tree.get(collection).path("Members"));
        for (Fault.NicLinkDown fault : faults.all(Fault.NicLinkDown.class).toList()) {
            ports.stream().filter(n -> n.path("Name").asText().equals(fault.name())).forEach(n -> {
                n.put("LinkStatus", "LinkDown");
                ((ObjectNode) n.get("Status")).put("Health", fault.health());
            });
        }
        ObjectNode parent = ports.getFirst();
        for (Fault.VlanInterface vlan : faults.all(Fault.VlanInterface.class).toList()) {
            ObjectNode nic = add(collection, parent.path("@odata.id").asText() + ".VLAN" + vlan.vlanId(),
                    "#EthernetInterface.v1_11_0.EthernetInterface", "VLAN " + vlan.vlanId());
            nic.put("MACAddress", parent.path("MACAddress").asText());
            nic.put("SpeedMbps", parent.path("SpeedMbps").asInt());
            nic.put("LinkStatus", "LinkUp");
            if (vlan.typed()) {
                nic.put("EthernetInterfaceType", "Virtual");
            }
            nic.putObject("VLAN").put("VLANEnable", true).put("VLANId", vlan.vlanId());
            nic.putObject("Links").putArray("RelatedInterfaces").add(link(parent.path("@odata.id").asText()));
            nic.set("Status", status("Enabled", "OK"));
        }
        if (faults.has(Fault.HostInterface.class)) {
            String hostNic = collection + "/ToManager";
            ObjectNode nic = add(collection, hostNic, "#EthernetInterface.v1_11_0.EthernetInterface", "ToManager");
            nic.put("Description", "Interface to the BMC over USB (Redfish host interface)");
            nic.put("MACAddress", "0a:ba:d0:00:00:01");
            nic.put("LinkStatus", "LinkUp");
            nic.set("Status", status("Enabled", "OK"));
            String hostInterfaces = manager + "/HostInterfaces";
            tree.get(manager).set("HostInterfaces", link(hostInterfaces));
            String hostInterface = hostInterfaces + "/1";
            collection(hostInterfaces, "#HostInterfaceCollection.HostInterfaceCollection", List.of(hostInterface));
            ObjectNode hi = resource(hostInterface, "#HostInterface.v1_3_0.HostInterface", "Host Interface");
            hi.put("HostInterfaceType", "NetworkHostInterface");
            hi.put("InterfaceEnabled", true);
            hi.set("HostEthernetInterfaces", link(hostInterface + "/HostEthernetInterfaces"));
            hi.set("Status", status("Enabled", "OK"));
            collection(hostInterface + "/HostEthernetInterfaces",
                    "#EthernetInterfaceCollection.EthernetInterfaceCollection", List.of(hostNic));
        }
    }

    private void thermal() {
        ObjectNode legacy = tree.get(chassis + "/Thermal");
        ArrayNode temperatures = (ArrayNode) legacy.get("Temperatures");
        for (Fault.TemperatureReading fault : faults.all(Fault.TemperatureReading.class).toList()) {
            for (JsonNode t : temperatures) {
                if (t.path("Name").asText().equals(fault.name())) {
                    ((ObjectNode) t).put("ReadingCelsius", fault.celsius());
                    if (fault.health() != null) {
                        ((ObjectNode) t.get("Status")).put("Health", fault.health());
                    }
                }
            }
        }
        if (faults.has(Fault.NoTemperatures.class)) {
            temperatures.removeAll();
        }
        if (faults.has(Fault.SensorsThermal.class)) {
            sensorsThermal(legacy);
        }
    }

    /** Moves the legacy Thermal's readings to ThermalSubsystem, ThermalMetrics and Sensors. */
    private void sensorsThermal(ObjectNode legacy) {
        ObjectNode chassisNode = tree.get(chassis);
        chassisNode.remove("Thermal");
        tree.remove(chassis + "/Thermal");
        String subsystem = chassis + "/ThermalSubsystem";
        chassisNode.set("ThermalSubsystem", link(subsystem));
        chassisNode.set("Sensors", link(chassis + "/Sensors"));
        ObjectNode thermal = resource(subsystem, "#ThermalSubsystem.v1_3_0.ThermalSubsystem", "Thermal Subsystem");
        thermal.set("Fans", link(subsystem + "/Fans"));
        thermal.set("ThermalMetrics", link(subsystem + "/ThermalMetrics"));
        thermal.set("Status", status("Enabled", "OK"));
        List<String> fans = new ArrayList<>();
        int i = 0;
        for (JsonNode legacyFan : legacy.path("Fans")) {
            String id = subsystem + "/Fans/Fan" + i++;
            fans.add(id);
            ObjectNode fan = resource(id, "#Fan.v1_5_0.Fan", legacyFan.path("Name").asText());
            fan.putObject("SpeedPercent").put("Reading", Math.min(100, legacyFan.path("Reading").asInt() / 150));
            fan.set("Status", legacyFan.get("Status").deepCopy());
        }
        collection(subsystem + "/Fans", "#FanCollection.FanCollection", fans);
        ObjectNode metrics = resource(subsystem + "/ThermalMetrics", "#ThermalMetrics.v1_3_0.ThermalMetrics", "Thermal Metrics");
        ArrayNode readings = metrics.putArray("TemperatureReadingsCelsius");
        List<String> sensors = new ArrayList<>();
        i = 0;
        for (JsonNode t : legacy.path("Temperatures")) {
            readings.addObject().put("DeviceName", t.path("Name").asText()).put("Reading", t.path("ReadingCelsius").asDouble());
            String id = chassis + "/Sensors/Temp" + i++;
            sensors.add(id);
            ObjectNode sensor = resource(id, "#Sensor.v1_7_0.Sensor", t.path("Name").asText());
            sensor.put("ReadingType", "Temperature");
            sensor.put("Reading", t.path("ReadingCelsius").asDouble());
            sensor.put("ReadingUnits", "Cel");
            ObjectNode thresholds = sensor.putObject("Thresholds");
            thresholds.putObject("UpperCaution").put("Reading", t.path("UpperThresholdNonCritical").asDouble());
            thresholds.putObject("UpperCritical").put("Reading", t.path("UpperThresholdCritical").asDouble());
            sensor.set("Status", t.get("Status").deepCopy());
        }
        String power = chassis + "/Sensors/TotalPower";
        sensors.add(power);
        ObjectNode watts = resource(power, "#Sensor.v1_7_0.Sensor", "Total Power");
        watts.put("ReadingType", "Power").put("Reading", 412).put("ReadingUnits", "W");
        watts.putObject("Thresholds").putObject("UpperCritical").put("Reading", 300);
        watts.set("Status", status("Enabled", "OK"));
        collection(chassis + "/Sensors", "#SensorCollection.SensorCollection", sensors);
    }

    private void power() {
        for (Fault.PowerSupplyWarning fault : faults.all(Fault.PowerSupplyWarning.class).toList()) {
            for (JsonNode supply : tree.get(chassis + "/Power").path("PowerSupplies")) {
                if (supply.path("Name").asText().equals(fault.name())) {
                    ((ObjectNode) supply.get("Status")).put("Health", "Warning");
                }
            }
        }
    }

    /** Splits the SEL's entries into pages; a page after the first is the collection's URL with {@code ?$skip=N}. */
    private void log() {
        Fault.PagedLog paged = faults.first(Fault.PagedLog.class).orElse(null);
        if (paged == null) {
            return;
        }
        String entries = system + "/LogServices/Sel/Entries";
        ObjectNode all = tree.get(entries);
        ArrayNode members = (ArrayNode) all.get("Members");
        for (int skip = 0; skip < members.size(); skip += paged.pageSize()) {
            ObjectNode page = all.deepCopy();
            ArrayNode slice = page.putArray("Members");
            for (int i = skip; i < Math.min(members.size(), skip + paged.pageSize()); i++) {
                slice.add(members.get(i).deepCopy());
            }
            if (skip + paged.pageSize() < members.size()) {
                page.put(paged.nextLinkProperty(), entries + "?$skip=" + (skip + paged.pageSize()));
            }
            tree.put(skip == 0 ? entries : entries + "?$skip=" + skip, page);
        }
    }

    private String firstMember(String collection) {
        return tree.get(collection).path("Members").get(0).path("@odata.id").asText();
    }

    private List<ObjectNode> linked(ArrayNode links) {
        List<ObjectNode> nodes = new ArrayList<>();
        links.forEach(l -> nodes.add(tree.get(l.path("@odata.id").asText())));
        return nodes;
    }

    /** A new member of an existing collection. */
    private ObjectNode add(String collection, String odataId, String type, String name) {
        ObjectNode list = tree.get(collection);
        ((ArrayNode) list.get("Members")).add(link(odataId));
        list.put("Members@odata.count", list.get("Members").size());
        return resource(odataId, type, name);
    }

    private ObjectNode resource(String odataId, String type, String name) {
        ObjectNode node = NODES.objectNode();
        node.put("@odata.id", odataId);
        node.put("@odata.type", type);
        node.put("Id", odataId.substring(odataId.lastIndexOf('/') + 1));
        node.put("Name", name);
        tree.put(odataId, node);
        return node;
    }

    private void collection(String odataId, String type, List<String> members) {
        ObjectNode node = NODES.objectNode();
        node.put("@odata.id", odataId);
        node.put("@odata.type", type);
        node.put("Name", type.substring(type.lastIndexOf('.') + 1));
        ArrayNode list = node.putArray("Members");
        members.forEach(m -> list.add(link(m)));
        node.put("Members@odata.count", members.size());
        tree.put(odataId, node);
    }

    private static ObjectNode link(String odataId) {
        return NODES.objectNode().put("@odata.id", odataId);
    }

    private static ObjectNode status(String state, String health) {
        ObjectNode status = NODES.objectNode().put("State", state);
        if (health != null) {
            status.put("Health", health);
        }
        return status;
    }
}
