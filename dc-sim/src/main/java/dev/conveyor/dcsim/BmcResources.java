package dev.conveyor.dcsim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.rack.HardwareProfile;
import dev.conveyor.rack.ServerSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The Redfish resource tree of one simulated BMC, built from its manifest entry and current faults
 * on every request, so answers always agree with each other and with the faults of the moment.
 *
 * <p>Shaped like a typical server BMC: legacy {@code Thermal} and {@code Power} resources, a SEL
 * whose entries are expanded inline, member ids that are not "1", and vendor {@code Oem} blocks and
 * other properties a client has to ignore.
 */
final class BmcResources {
    static final String ROOT = "/redfish/v1";
    static final int FAN_COUNT = 6;
    static final List<String> POWER_SUPPLIES = List.of("PSU 1", "PSU 2");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long GIB_MIB = 1024;
    /** Drives are a little larger than the profile's minimum, as real drives are. */
    private static final long DRIVE_SURPLUS_BYTES = 197_124_096L;

    private final ServerSpec server;
    private final HardwareProfile profile;
    private final DeviceFaults faults;
    private final Instant bootTime;
    private final Map<String, ObjectNode> resources = new HashMap<>();
    private final String system;
    private final String chassis;

    private BmcResources(ServerSpec server, HardwareProfile profile, DeviceFaults faults, Instant bootTime) {
        this.server = server;
        this.profile = profile;
        this.faults = faults;
        this.bootTime = bootTime;
        String slug = server.serial().toLowerCase(Locale.ROOT);
        this.system = ROOT + "/Systems/sys-" + slug;
        this.chassis = ROOT + "/Chassis/chassis-" + slug;
    }

    /** Every resource by its {@code @odata.id}. */
    static Map<String, ObjectNode> build(ServerSpec server, HardwareProfile profile, DeviceFaults faults,
            Instant bootTime, Set<String> sessionIds) {
        BmcResources tree = new BmcResources(server, profile, faults, bootTime);
        tree.serviceRoot();
        tree.system();
        tree.chassis();
        tree.manager();
        tree.updateService();
        tree.sessions(sessionIds);
        BmcShapes.apply(tree.resources, faults);
        return tree.resources;
    }

    private void serviceRoot() {
        ObjectNode root = resource(ROOT, "#ServiceRoot.v1_15_0.ServiceRoot", "RootService", "Root Service");
        root.put("RedfishVersion", "1.17.0");
        root.put("UUID", uuid());
        root.put("Vendor", "Conveyor");
        root.put("Product", "dc-sim BMC");
        root.set("Systems", link(ROOT + "/Systems"));
        root.set("Chassis", link(ROOT + "/Chassis"));
        root.set("Managers", link(ROOT + "/Managers"));
        root.set("UpdateService", link(ROOT + "/UpdateService"));
        root.set("SessionService", link(ROOT + "/SessionService"));
        root.putObject("Links").set("Sessions", link(ROOT + "/SessionService/Sessions"));
        root.putObject("ProtocolFeaturesSupported").put("ExcerptQuery", false).put("OnlyMemberQuery", false);
        root.putObject("Oem").putObject("Contoso").put("@odata.type", "#ContosoServiceRoot.v1_0_0.ContosoServiceRoot")
                .put("ManagerFirmwareBuild", "sim-" + profile.firmware().bmc());
    }

    private void system() {
        collection(ROOT + "/Systems", "#ComputerSystemCollection.ComputerSystemCollection", "Computer System Collection",
                List.of(system));
        ObjectNode node = resource(system, "#ComputerSystem.v1_20_0.ComputerSystem", idOf(system), "System");
        node.put("SerialNumber", faults.first(Fault.WrongSerial.class).map(Fault.WrongSerial::serial).orElse(server.serial()));
        node.put("AssetTag", server.assetTag());
        node.put("Manufacturer", "Contoso");
        node.put("Model", "Contoso R" + profile.cpu().count() + "50");
        node.put("SKU", "SIM-" + server.serial());
        node.put("BiosVersion", firmwareVersion("BIOS", profile.firmware().bios()));
        node.put("PowerState", "On");
        node.put("HostName", "");
        node.put("IndicatorLED", "Off");
        node.set("Status", status("Enabled", "OK").put("HealthRollup", componentsHealthy() ? "OK" : "Critical"));
        node.putObject("ProcessorSummary").put("Count", profile.cpu().count()).put("Model", profile.cpu().model())
                .set("Status", status("Enabled", "OK"));
        node.putObject("MemorySummary").put("TotalSystemMemoryGiB", installedMemoryMiB() / GIB_MIB)
                .set("Status", status("Enabled", "OK"));
        node.putObject("Boot").put("BootSourceOverrideEnabled", "Disabled").put("BootSourceOverrideTarget", "None");
        node.set("Processors", link(system + "/Processors"));
        node.set("Memory", link(system + "/Memory"));
        node.set("Storage", link(system + "/Storage"));
        node.set("EthernetInterfaces", link(system + "/EthernetInterfaces"));
        node.set("LogServices", link(system + "/LogServices"));
        node.putObject("Links").set("Chassis", NODES.arrayNode().add(link(chassis)));
        node.putObject("Oem").putObject("Contoso").put("@odata.type", "#ContosoSystem.v1_0_0.ContosoSystem")
                .put("ServiceTag", server.assetTag()).put("CoolingProfile", "Balanced");
        processors();
        memory();
        storage();
        nics();
        logs();
    }

    private void processors() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < profile.cpu().count(); i++) {
            String id = system + "/Processors/CPU.Socket." + i;
            ids.add(id);
            ObjectNode cpu = resource(id, "#Processor.v1_18_0.Processor", idOf(id), "CPU " + (i + 1));
            cpu.put("Model", profile.cpu().model());
            cpu.put("ProcessorType", "CPU");
            cpu.put("TotalCores", 32);
            cpu.put("TotalThreads", 64);
            cpu.put("MaxSpeedMHz", 3500);
            cpu.set("Status", status("Enabled", "OK"));
        }
        collection(system + "/Processors", "#ProcessorCollection.ProcessorCollection", "Processors", ids);
    }

    private void memory() {
        List<String> ids = new ArrayList<>();
        long dimmMiB = profile.memoryGiB() * GIB_MIB / dimmCount();
        for (int i = 0; i < dimmCount() + 2; i++) {
            String name = dimmName(i);
            String id = system + "/Memory/" + name.replace(' ', '.');
            ids.add(id);
            boolean present = i < dimmCount() && !missing(name);
            ObjectNode dimm = resource(id, "#Memory.v1_17_0.Memory", idOf(id), name);
            dimm.put("CapacityMiB", present ? dimmMiB : 0);
            dimm.put("MemoryDeviceType", "DDR5");
            dimm.put("OperatingSpeedMhz", present ? 4800 : 0);
            dimm.set("Status", present ? status("Enabled", "OK") : status("Absent", null));
        }
        collection(system + "/Memory", "#MemoryCollection.MemoryCollection", "Memory", ids);
    }

    /** The largest of 16, 8, 4, 2 or 1 modules that divides the memory evenly. */
    int dimmCount() {
        for (int count : new int[] {16, 8, 4, 2}) {
            if (profile.memoryGiB() % count == 0) {
                return count;
            }
        }
        return 1;
    }

    /** "DIMM A0", "DIMM A1", …; the two slots after the populated ones stay empty. */
    static String dimmName(int index) {
        return "DIMM " + (char) ('A' + index / 12) + (index % 12);
    }

    private boolean missing(String dimm) {
        return faults.all(Fault.MissingDimm.class).anyMatch(fault -> fault.name().equals(dimm));
    }

    private long installedMemoryMiB() {
        long dimmMiB = profile.memoryGiB() * GIB_MIB / dimmCount();
        long missing = IntStream.range(0, dimmCount()).filter(i -> missing(dimmName(i))).count();
        return (dimmCount() - missing) * dimmMiB;
    }

    private void storage() {
        String controller = system + "/Storage/RAID.Integrated.0";
        collection(system + "/Storage", "#StorageCollection.StorageCollection", "Storage", List.of(controller));
        ObjectNode storage = resource(controller, "#Storage.v1_15_0.Storage", idOf(controller), "RAID Controller");
        storage.set("Status", status("Enabled", "OK"));
        ArrayNode drives = storage.putArray("Drives");
        for (int i = 0; i < profile.drives().count(); i++) {
            String id = controller + "/Drives/Disk.Bay." + i;
            drives.add(link(id));
            ObjectNode drive = resource(id, "#Drive.v1_17_0.Drive", idOf(id), "Drive " + i);
            drive.put("CapacityBytes", profile.drives().minSizeGB() * 1_000_000_000L + DRIVE_SURPLUS_BYTES);
            drive.put("MediaType", "SSD");
            drive.put("Protocol", "NVMe");
            drive.put("Model", "Contoso NVMe " + profile.drives().minSizeGB() + "G");
            drive.put("SerialNumber", server.serial() + "-D" + i);
            drive.set("Status", status("Enabled", "OK"));
        }
        storage.put("Drives@odata.count", profile.drives().count());
    }

    private void nics() {
        List<String> ids = new ArrayList<>();
        List<Integer> speeds = profile.nics().speedsMbps();
        for (int i = 0; i < profile.nics().count(); i++) {
            String id = system + "/EthernetInterfaces/NIC.Slot." + (i / 2 + 1) + "-" + (i % 2 + 1);
            ids.add(id);
            ObjectNode nic = resource(id, "#EthernetInterface.v1_11_0.EthernetInterface", idOf(id), "NIC " + (i + 1));
            nic.put("MACAddress", mac(i));
            nic.put("SpeedMbps", speeds.get(i));
            nic.put("LinkStatus", "LinkUp");
            nic.put("FullDuplex", true);
            nic.set("Status", status("Enabled", "OK"));
        }
        collection(system + "/EthernetInterfaces", "#EthernetInterfaceCollection.EthernetInterfaceCollection",
                "Ethernet Interfaces", ids);
    }

    private void logs() {
        String sel = system + "/LogServices/Sel";
        collection(system + "/LogServices", "#LogServiceCollection.LogServiceCollection", "Log Services", List.of(sel));
        ObjectNode service = resource(sel, "#LogService.v1_5_0.LogService", "Sel", "System Event Log");
        service.put("OverWritePolicy", "WrapsWhenFull");
        service.put("MaxNumberOfRecords", 1024);
        service.set("Entries", link(sel + "/Entries"));
        ObjectNode entries = resource(sel + "/Entries", "#LogEntryCollection.LogEntryCollection", "Entries", "SEL Entries");
        ArrayNode members = entries.putArray("Members");
        members.add(logEntry(sel, 1, "OK", bootTime.minus(1, ChronoUnit.DAYS), "Log area reset/cleared."));
        members.add(logEntry(sel, 2, "OK", bootTime, "System boot completed."));
        int next = 3;
        for (DeviceFaults.Active active : faults.entries().filter(a -> a.fault() instanceof Fault.CriticalLogEntry).toList()) {
            members.add(logEntry(sel, next++, "Critical", active.since(), ((Fault.CriticalLogEntry) active.fault()).message()));
        }
        entries.put("Members@odata.count", members.size());
    }

    private ObjectNode logEntry(String service, int number, String severity, Instant created, String message) {
        String id = service + "/Entries/" + number;
        ObjectNode entry = NODES.objectNode();
        entry.put("@odata.id", id);
        entry.put("@odata.type", "#LogEntry.v1_15_0.LogEntry");
        entry.put("Id", Integer.toString(number));
        entry.put("Name", "Log Entry " + number);
        entry.put("EntryType", "SEL");
        entry.put("Severity", severity);
        entry.put("Created", created.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
        entry.put("Message", message);
        entry.put("SensorType", "Platform Alert");
        return entry;
    }

    private void chassis() {
        collection(ROOT + "/Chassis", "#ChassisCollection.ChassisCollection", "Chassis Collection", List.of(chassis));
        ObjectNode node = resource(chassis, "#Chassis.v1_23_0.Chassis", idOf(chassis), "Main Chassis");
        node.put("ChassisType", "RackMount");
        node.put("SerialNumber", faults.first(Fault.WrongSerial.class).map(Fault.WrongSerial::serial).orElse(server.serial()));
        node.put("AssetTag", server.assetTag());
        node.set("Status", status("Enabled", "OK").put("HealthRollup", componentsHealthy() ? "OK" : "Critical"));
        node.set("Thermal", link(chassis + "/Thermal"));
        node.set("Power", link(chassis + "/Power"));
        node.putObject("Location").putObject("PartLocation").put("LocationOrdinalValue", server.positionU())
                .put("LocationType", "Slot");
        node.putObject("Oem").putObject("Contoso").put("AirflowDirection", "FrontToBack");
        thermal();
        power();
    }

    private void thermal() {
        ObjectNode thermal = resource(chassis + "/Thermal", "#Thermal.v1_7_0.Thermal", "Thermal", "Thermal");
        ArrayNode fans = thermal.putArray("Fans");
        for (int i = 1; i <= FAN_COUNT; i++) {
            String name = "Fan " + i;
            boolean failed = faults.all(Fault.FailedFan.class).anyMatch(fault -> fault.name().equals(name));
            ObjectNode fan = fans.addObject();
            fan.put("@odata.id", chassis + "/Thermal#/Fans/" + (i - 1));
            fan.put("MemberId", Integer.toString(i - 1));
            fan.put("Name", name);
            fan.put("Reading", failed ? 0 : 7200 + 120 * i);
            fan.put("ReadingUnits", "RPM");
            fan.put("LowerThresholdCritical", 600);
            fan.set("Status", failed ? status("Enabled", "Critical") : status("Enabled", "OK"));
        }
        ArrayNode temperatures = thermal.putArray("Temperatures");
        temperature(temperatures, 0, "Inlet Temp", 24, 45);
        for (int cpu = 1; cpu <= profile.cpu().count(); cpu++) {
            temperature(temperatures, cpu, "CPU" + cpu + " Temp", 52 + cpu, 95);
        }
    }

    private void temperature(ArrayNode temperatures, int index, String name, double reading, double critical) {
        ObjectNode sensor = temperatures.addObject();
        sensor.put("@odata.id", chassis + "/Thermal#/Temperatures/" + index);
        sensor.put("MemberId", Integer.toString(index));
        sensor.put("Name", name);
        sensor.put("ReadingCelsius", reading);
        sensor.put("UpperThresholdNonCritical", critical - 5);
        sensor.put("UpperThresholdCritical", critical);
        sensor.put("PhysicalContext", name.startsWith("CPU") ? "CPU" : "Intake");
        sensor.set("Status", status("Enabled", "OK"));
    }

    private void power() {
        ObjectNode power = resource(chassis + "/Power", "#Power.v1_7_1.Power", "Power", "Power");
        ArrayNode supplies = power.putArray("PowerSupplies");
        for (int i = 0; i < POWER_SUPPLIES.size(); i++) {
            String name = POWER_SUPPLIES.get(i);
            boolean failed = faults.all(Fault.FailedPowerSupply.class).anyMatch(fault -> fault.name().equals(name));
            ObjectNode supply = supplies.addObject();
            supply.put("@odata.id", chassis + "/Power#/PowerSupplies/" + i);
            supply.put("MemberId", Integer.toString(i));
            supply.put("Name", name);
            supply.put("Model", "Contoso 1600W");
            supply.put("SerialNumber", server.serial() + "-P" + (i + 1));
            supply.put("PowerCapacityWatts", 1600);
            supply.put("LineInputVoltage", failed ? 0 : 230);
            supply.set("Status", failed ? status("Enabled", "Critical") : status("Enabled", "OK"));
        }
        power.putArray("PowerControl").addObject().put("Name", "System Power Control").put("PowerConsumedWatts", 412);
    }

    private void manager() {
        String manager = ROOT + "/Managers/bmc-0";
        collection(ROOT + "/Managers", "#ManagerCollection.ManagerCollection", "Managers", List.of(manager));
        ObjectNode node = resource(manager, "#Manager.v1_19_0.Manager", "bmc-0", "BMC");
        node.put("ManagerType", "BMC");
        node.put("FirmwareVersion", firmwareVersion("BMC", profile.firmware().bmc()));
        node.set("Status", status("Enabled", "OK"));
    }

    private void updateService() {
        ObjectNode service = resource(ROOT + "/UpdateService", "#UpdateService.v1_11_0.UpdateService", "UpdateService",
                "Update Service");
        service.put("ServiceEnabled", true);
        service.set("FirmwareInventory", link(ROOT + "/UpdateService/FirmwareInventory"));
        String inventory = ROOT + "/UpdateService/FirmwareInventory/";
        List<String> ids = List.of(inventory + "Installed-BIOS", inventory + "Installed-BMC",
                inventory + "Installed-NIC", inventory + "Installed-CPLD");
        firmware(ids.get(0), "BIOS", firmwareVersion("BIOS", profile.firmware().bios()));
        firmware(ids.get(1), "BMC", firmwareVersion("BMC", profile.firmware().bmc()));
        firmware(ids.get(2), "NIC Firmware", "22.31.6");
        firmware(ids.get(3), "CPLD", "1.0.4");
        collection(ROOT + "/UpdateService/FirmwareInventory", "#SoftwareInventoryCollection.SoftwareInventoryCollection",
                "Firmware Inventory", ids);
    }

    private void firmware(String id, String name, String version) {
        ObjectNode item = resource(id, "#SoftwareInventory.v1_10_0.SoftwareInventory", idOf(id), name);
        item.put("Version", version);
        item.put("Updateable", true);
        item.put("ReleaseDate", "2026-01-15T00:00:00Z");
        item.set("Status", status("Enabled", "OK"));
    }

    private String firmwareVersion(String component, String baseline) {
        return faults.all(Fault.FirmwareBelowBaseline.class)
                .filter(fault -> fault.component().equalsIgnoreCase(component))
                .map(Fault.FirmwareBelowBaseline::version)
                .findFirst()
                .orElse(baseline);
    }

    private void sessions(Set<String> sessionIds) {
        String service = ROOT + "/SessionService";
        ObjectNode node = resource(service, "#SessionService.v1_1_9.SessionService", "SessionService", "Session Service");
        node.put("ServiceEnabled", true);
        node.put("SessionTimeout", 1800);
        node.set("Sessions", link(service + "/Sessions"));
        collection(service + "/Sessions", "#SessionCollection.SessionCollection", "Sessions",
                sessionIds.stream().sorted().map(id -> service + "/Sessions/" + id).toList());
    }

    private boolean componentsHealthy() {
        return !faults.has(Fault.FailedFan.class) && !faults.has(Fault.FailedPowerSupply.class)
                && !faults.has(Fault.MissingDimm.class);
    }

    private String uuid() {
        return UUID.nameUUIDFromBytes(server.serial().getBytes(StandardCharsets.UTF_8)).toString();
    }

    private String mac(int index) {
        int hash = server.serial().hashCode();
        return String.format("02:%02x:%02x:%02x:%02x:%02x", (hash >> 24) & 0xff, (hash >> 16) & 0xff,
                (hash >> 8) & 0xff, hash & 0xff, index & 0xff);
    }

    private ObjectNode resource(String odataId, String type, String id, String name) {
        ObjectNode node = NODES.objectNode();
        node.put("@odata.id", odataId);
        node.put("@odata.type", type);
        node.put("Id", id);
        node.put("Name", name);
        resources.put(odataId, node);
        return node;
    }

    private void collection(String odataId, String type, String name, List<String> members) {
        ObjectNode node = NODES.objectNode();
        node.put("@odata.id", odataId);
        node.put("@odata.type", type);
        node.put("Name", name);
        ArrayNode list = node.putArray("Members");
        members.forEach(member -> list.add(link(member)));
        node.put("Members@odata.count", members.size());
        resources.put(odataId, node);
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

    private static String idOf(String odataId) {
        return odataId.substring(odataId.lastIndexOf('/') + 1);
    }
}
