package dev.conveyor.validation.redfish;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.device.ExchangeListener;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a BMC's inventory, health, firmware and logs over Redfish (DMTF DSP0266), from any
 * conforming BMC: every resource is reached through the links of the one before it, starting at
 * {@code /redfish/v1}; properties the client does not read (vendor {@code Oem} blocks, newer schema
 * additions) are ignored. Methods report what the BMC says and judge nothing.
 *
 * <p>Each HTTP request is reported to the {@link ExchangeListener} given at {@link #connect}.
 * Failures are {@link RedfishUnavailableException} (retryable) or
 * {@link RedfishProtocolException} (not), both naming the URL. A client is used by one thread at a
 * time; {@link #close()} ends the Redfish session, if one was opened.
 */
public final class RedfishClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedfishClient.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String SERVICE_ROOT = "/redfish/v1";

    private final RedfishHttp http;
    private final RedfishNavigator navigator;
    private final Resource root;
    private final URI session;
    /** Systems and chassis already read, by {@code @odata.id}, so following their links costs no refetch. */
    private final Map<String, Resource> documents = new HashMap<>();

    private RedfishClient(RedfishHttp http, Resource root, URI session) {
        this.http = http;
        this.navigator = new RedfishNavigator(http);
        this.root = root;
        this.session = session;
    }

    /**
     * Reads the service root (the "is the BMC there" check) and, with {@link RedfishAuth#SESSION},
     * logs in.
     */
    public static RedfishClient connect(RedfishConfig config, ExchangeListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        RedfishHttp http = new RedfishHttp(config, JSON, listener);
        try {
            URI rootUri = http.resolve(SERVICE_ROOT);
            // DSP0266 lets anyone read the service root; with sessions there is no token yet anyway.
            Resource root = new Resource(rootUri, http.get(rootUri, config.auth() == RedfishAuth.BASIC));
            URI session = config.auth() == RedfishAuth.SESSION ? login(http, root, config) : null;
            return new RedfishClient(http, root, session);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    private static URI login(RedfishHttp http, Resource root, RedfishConfig config) {
        String sessions = root.link("Links", "Sessions").orElseGet(() -> {
            URI service = http.resolve(root.requiredLink("SessionService"));
            return new Resource(service, http.get(service, false)).requiredLink("Sessions");
        });
        URI session = http.login(http.resolve(sessions), config.credentials());
        log.debug("Opened Redfish session {} as {}", session, config.credentials().username());
        return session;
    }

    /** The writes of provisioning (updates, BIOS settings, boot override, reset) over this client's session. */
    public RedfishActions actions() {
        return new RedfishActions(http, navigator, root);
    }

    public ServiceRoot serviceRoot() {
        return new ServiceRoot(root.uri(), root.text("RedfishVersion"), root.text("UUID"), root.text("Vendor"),
                root.text("Product"));
    }

    public List<ComputerSystem> systems() {
        List<ComputerSystem> systems = new ArrayList<>();
        for (Resource system : navigator.members(root.requiredLink("Systems"))) {
            remember(system);
            systems.add(new ComputerSystem(odataId(system), system.id(), system.text("SerialNumber"),
                    system.text("Model"), system.text("Manufacturer"), system.text("BiosVersion"), system.status(),
                    (int) system.number("ProcessorSummary", "Count").orElse(0),
                    system.node().path("ProcessorSummary").path("Model").asText(""),
                    system.number("MemorySummary", "TotalSystemMemoryGiB").orElse(0)));
        }
        return systems;
    }

    public List<Processor> processors(ComputerSystem system) {
        return navigator.members(document(system.odataId()).requiredLink("Processors")).stream()
                .map(cpu -> new Processor(cpu.id(), cpu.text("Name"), cpu.text("Model"), cpu.text("ProcessorType"),
                        (int) cpu.number("TotalCores").orElse(0), cpu.status()))
                .toList();
    }

    public List<MemoryModule> memory(ComputerSystem system) {
        return navigator.members(document(system.odataId()).requiredLink("Memory")).stream()
                .map(dimm -> new MemoryModule(dimm.id(), dimm.text("Name"),
                        (long) dimm.number("CapacityMiB").orElse(0), dimm.status()))
                .toList();
    }

    /**
     * Drives of every {@code Storage} subsystem; BMCs that predate {@code Storage} list them as
     * {@code SimpleStorage} devices instead, which this falls back to.
     */
    public List<Drive> drives(ComputerSystem system) {
        Resource owner = document(system.odataId());
        Optional<String> storage = owner.link("Storage");
        if (storage.isPresent()) {
            List<Resource> subsystems = navigator.members(storage.get());
            if (!subsystems.isEmpty() || owner.link("SimpleStorage").isEmpty()) {
                return subsystems.stream()
                        .flatMap(subsystem -> navigator.linked(subsystem, "Drives").stream())
                        .map(drive -> new Drive(drive.id(), drive.text("Name"), drive.text("Model"),
                                drive.text("SerialNumber"), (long) drive.number("CapacityBytes").orElse(0),
                                drive.status()))
                        .toList();
            }
        }
        return owner.link("SimpleStorage").map(this::simpleStorageDrives).orElse(List.of());
    }

    private List<Drive> simpleStorageDrives(String collection) {
        List<Drive> drives = new ArrayList<>();
        for (Resource controller : navigator.members(collection)) {
            for (JsonNode device : controller.node().path("Devices")) {
                Resource drive = controller.child(device);
                drives.add(new Drive(drive.text("Name"), drive.text("Name"), drive.text("Model"), "",
                        (long) drive.number("CapacityBytes").orElse(0), drive.status()));
            }
        }
        return drives;
    }

    /**
     * Every member of the system's {@code EthernetInterfaces}, each with its role
     * ({@link InterfaceRoles}): the managers' host interfaces are read to recognize the host's
     * end of the link to the BMC.
     */
    public List<EthernetInterface> ethernetInterfaces(ComputerSystem system) {
        Optional<String> collection = document(system.odataId()).link("EthernetInterfaces");
        if (collection.isEmpty()) {
            return List.of();
        }
        List<Resource> members = navigator.members(collection.get());
        InterfaceRoles roles = InterfaceRoles.read(navigator, root);
        return members.stream()
                .map(nic -> new EthernetInterface(nic.id(), nic.text("Name"), nic.text("MACAddress"),
                        asInt(nic.number("SpeedMbps")), nic.text("LinkStatus"), nic.status(),
                        roles.of(odataId(nic), nic)))
                .toList();
    }

    public List<Chassis> chassis() {
        List<Chassis> chassis = new ArrayList<>();
        for (Resource member : navigator.members(root.requiredLink("Chassis"))) {
            remember(member);
            chassis.add(new Chassis(odataId(member), member.id(), member.text("Name"), member.text("SerialNumber"),
                    member.status()));
        }
        return chassis;
    }

    /**
     * Fans and temperatures, so that each temperature comes with its thresholds where the BMC has
     * any: the {@code Sensors} collection's temperature sensors first; then {@code ThermalSubsystem}
     * (Redfish 2020.4 on) for fans and its {@code ThermalMetrics} readings (whose own entries carry
     * no thresholds: a reading's {@code DataSourceUri} sensor is read for them), or, on a chassis
     * without it, the deprecated {@code Thermal} with its fans and {@code Temperatures}. A sensor
     * reported by two sources under one name is kept once, from the first. Empty readings when the
     * chassis links none of them.
     */
    public ThermalReadings thermal(Chassis chassis) {
        Resource owner = document(chassis.odataId());
        Map<String, Temperature> temperatures = new LinkedHashMap<>();
        owner.link("Sensors").ifPresent(sensors -> SensorReader.temperatures(navigator, sensors)
                .forEach(t -> temperatures.putIfAbsent(t.name().toLowerCase(Locale.ROOT), t)));
        Optional<String> subsystem = owner.link("ThermalSubsystem");
        Optional<String> legacy = owner.link("Thermal");
        ThermalReadings readings = new ThermalReadings(List.of(), List.of());
        if (subsystem.isPresent()) {
            readings = ThermalSubsystemReader.read(navigator, navigator.fetch(subsystem.get()));
        } else if (legacy.isPresent()) {
            readings = LegacyThermalReader.read(navigator.fetch(legacy.get()));
        }
        readings.temperatures().forEach(t -> temperatures.putIfAbsent(t.name().toLowerCase(Locale.ROOT), t));
        return new ThermalReadings(readings.fans(), List.copyOf(temperatures.values()));
    }

    /** Prefers {@code PowerSubsystem} over the deprecated {@code Power}; empty when the chassis links neither. */
    public List<PowerSupply> powerSupplies(Chassis chassis) {
        Resource owner = document(chassis.odataId());
        Optional<String> subsystem = owner.link("PowerSubsystem");
        if (subsystem.isPresent()) {
            String supplies = navigator.fetch(subsystem.get()).requiredLink("PowerSupplies");
            return navigator.members(supplies).stream().map(RedfishClient::powerSupply).toList();
        }
        Optional<String> power = owner.link("Power");
        if (power.isEmpty()) {
            return List.of();
        }
        Resource legacy = navigator.fetch(power.get());
        List<PowerSupply> supplies = new ArrayList<>();
        for (JsonNode supply : legacy.node().path("PowerSupplies")) {
            supplies.add(powerSupply(legacy.child(supply)));
        }
        return supplies;
    }

    private static PowerSupply powerSupply(Resource supply) {
        return new PowerSupply(supply.text("Name"), supply.text("Model"), supply.text("SerialNumber"),
                supply.number("PowerCapacityWatts"), supply.status());
    }

    public List<FirmwareComponent> firmwareInventory() {
        Resource updateService = navigator.fetch(root.requiredLink("UpdateService"));
        return navigator.members(updateService.requiredLink("FirmwareInventory")).stream()
                .map(item -> new FirmwareComponent(item.id(), item.text("Name"), item.requiredText("Version"),
                        item.node().path("Updateable").asBoolean(false)))
                .toList();
    }

    /** Entries of every log service of the system (the SEL among them), oldest first as the BMC lists them. */
    public List<LogEntry> logEntries(ComputerSystem system) {
        Optional<String> services = document(system.odataId()).link("LogServices");
        if (services.isEmpty()) {
            return List.of();
        }
        List<LogEntry> entries = new ArrayList<>();
        for (Resource service : navigator.members(services.get())) {
            Optional<String> serviceEntries = service.link("Entries");
            if (serviceEntries.isPresent()) {
                navigator.members(serviceEntries.get()).forEach(entry -> entries.add(LogEntries.of(service.id(), entry)));
            }
        }
        return entries;
    }

    private Resource document(String odataId) {
        return documents.computeIfAbsent(odataId, navigator::fetch);
    }

    private void remember(Resource resource) {
        documents.put(odataId(resource), resource);
    }

    private static String odataId(Resource resource) {
        String odataId = resource.text("@odata.id");
        return odataId.isEmpty() ? resource.uri().getPath() : odataId;
    }

    private static OptionalInt asInt(OptionalDouble value) {
        return value.isPresent() ? OptionalInt.of((int) value.getAsDouble()) : OptionalInt.empty();
    }

    /** Ends the session, if any. A failed logout is logged, not thrown: the BMC expires sessions itself. */
    @Override
    public void close() {
        try {
            if (session != null) {
                http.logout(session);
                log.debug("Closed Redfish session {}", session);
            }
        } catch (RedfishException e) {
            log.warn("Could not delete Redfish session {}; the BMC will expire it: {}", session, e.getMessage());
        } finally {
            http.close();
        }
    }
}
