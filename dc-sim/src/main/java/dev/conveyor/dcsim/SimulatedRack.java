package dev.conveyor.dcsim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import dev.conveyor.device.Credentials;
import dev.conveyor.rack.HostAddress;
import dev.conveyor.rack.ManifestValidator;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.rack.ServerSpec;
import dev.conveyor.rack.SwitchSpec;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rack of simulated devices on 127.0.0.1: one Redfish BMC per server and one eAPI endpoint per
 * switch of a manifest, each on its own HTTPS port with a certificate made at startup, plus a
 * plain-HTTP admin endpoint ({@link AdminEndpoint}) to inject faults. A healthy rack answers exactly
 * as the manifest plans; {@link #faults(String)} changes that per device while it runs.
 *
 * <p>A device whose manifest address is {@code 127.0.0.1:PORT} (or {@code localhost:PORT}) listens
 * on that port; any other address gets a free port, and {@link #servedManifest()} is the manifest
 * with every address replaced by the one actually served.
 */
public final class SimulatedRack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedRack.class);

    private final RackManifest manifest;
    private final SimOptions options;
    private final SelfSignedCertificate certificate = SelfSignedCertificate.generate();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ObjectMapper json = new ObjectMapper();
    // The device maps are filled by start() before the admin endpoint starts and only read after,
    // by request threads; starting each listener publishes them safely.
    private final Map<String, DeviceServer> servers = new LinkedHashMap<>();
    private final Map<String, DeviceFaults> faults = new LinkedHashMap<>();
    private final Map<String, SimulatedBmc> bmcs = new LinkedHashMap<>();
    private final Map<String, SimulatedSwitch> switches = new LinkedHashMap<>();
    private final Map<String, BmcProvisioning> provisioning = new LinkedHashMap<>();
    /** Written by tests or the admin endpoint, read by request threads. */
    private volatile ProvisioningTimes provisioningTimes = ProvisioningTimes.DEFAULTS;
    private AdminEndpoint admin;

    private SimulatedRack(RackManifest manifest, SimOptions options) {
        this.manifest = manifest;
        this.options = options;
    }

    /** Starts every device; the manifest must be valid. */
    public static SimulatedRack start(RackManifest manifest, SimOptions options) {
        SimulatedRack rack = new SimulatedRack(ManifestValidator.requireValid(manifest), options);
        try {
            rack.startDevices();
            return rack;
        } catch (RuntimeException e) {
            rack.close();
            throw e;
        }
    }

    private void startDevices() {
        Instant bootTime = options.clock().instant();
        for (SwitchSpec spec : manifest.switches()) {
            DeviceFaults deviceFaults = faultsFor(spec.hostname(), false);
            SimulatedSwitch device = new SimulatedSwitch(new SwitchOutputs(spec, deviceFaults, bootTime),
                    options.credentials(), json);
            switches.put(spec.hostname(), device);
            serve(spec.hostname(), device, deviceFaults, spec.managementAddress());
        }
        for (ServerSpec spec : manifest.servers()) {
            DeviceFaults deviceFaults = faultsFor(spec.serial(), true);
            BmcProvisioning state = new BmcProvisioning(manifest.profileOf(spec).orElseThrow(), deviceFaults,
                    options.clock(), () -> provisioningTimes);
            provisioning.put(spec.serial(), state);
            SimulatedBmc device = new SimulatedBmc(spec, manifest.profileOf(spec).orElseThrow(), deviceFaults,
                    options.credentials(), json, bootTime, state);
            bmcs.put(spec.serial(), device);
            serve(spec.serial(), device, deviceFaults, spec.bmcAddress());
        }
        admin = AdminEndpoint.start(this, json, options.adminPort(), executor);
        log.info("dc-sim rack {}: {} switches, {} servers; admin at {}", manifest.rackId(), switches.size(), bmcs.size(),
                admin.uri());
        servers.forEach((device, server) -> log.info("  {} {} at {}", switches.containsKey(device) ? "switch" : "bmc   ",
                device, server.baseUri()));
    }

    private DeviceFaults faultsFor(String device, boolean bmc) {
        DeviceFaults deviceFaults = new DeviceFaults(device, bmc, options.clock(), changed -> {
            servers.get(changed.device()).applyReachability();
            log.info("{} faults now {}", changed.device(), changed.list());
        });
        faults.put(device, deviceFaults);
        return deviceFaults;
    }

    private void serve(String device, HttpHandler handler, DeviceFaults deviceFaults,
            String address) {
        DeviceServer server = new DeviceServer(device, certificate.serverContext(), executor, handler, deviceFaults);
        servers.put(device, server);
        server.start(loopbackPort(address));
    }

    /** The manifest's port when the address is already loopback, else 0 for a free one. */
    private static int loopbackPort(String address) {
        HostAddress parsed = HostAddress.parse(address).orElseThrow();
        boolean loopback = parsed.host().equals("127.0.0.1") || parsed.host().equals("localhost");
        return loopback && parsed.port().isPresent() ? parsed.port().getAsInt() : 0;
    }

    /** The base URL of a server's BMC, by serial. */
    public URI bmcUri(String serial) {
        requireKnown(bmcs.containsKey(serial), serial);
        return servers.get(serial).baseUri();
    }

    /** The base URL of a switch's eAPI, by hostname. */
    public URI switchUri(String hostname) {
        requireKnown(switches.containsKey(hostname), hostname);
        return servers.get(hostname).baseUri();
    }

    public URI adminUri() {
        return admin.uri();
    }

    /** The certificate every device presents; pin it to verify them. */
    public X509Certificate certificate() {
        return certificate.certificate();
    }

    public String certificatePem() {
        return certificate.pem();
    }

    public Credentials credentials() {
        return options.credentials();
    }

    /** The faults of a device, by server serial or switch hostname. */
    public DeviceFaults faults(String device) {
        DeviceFaults deviceFaults = faults.get(device);
        requireKnown(deviceFaults != null, device);
        return deviceFaults;
    }

    public void clearAllFaults() {
        faults.values().forEach(DeviceFaults::clear);
    }

    /** The configuration lines of the switch's last committed session. */
    public List<String> committedConfig(String hostname) {
        requireKnown(switches.containsKey(hostname), hostname);
        return switches.get(hostname).committedConfig();
    }

    /** Redfish sessions currently open on a BMC. */
    public int openSessions(String serial) {
        requireKnown(bmcs.containsKey(serial), serial);
        return bmcs.get(serial).openSessions();
    }

    /** What provisioning changed on a server's BMC, by serial. */
    public BmcProvisioning provisioning(String serial) {
        requireKnown(provisioning.containsKey(serial), serial);
        return provisioning.get(serial);
    }

    /** How long update tasks and resets take on every BMC of the rack, from now on. */
    public void provisioningTimes(ProvisioningTimes times) {
        provisioningTimes = java.util.Objects.requireNonNull(times, "times");
    }

    public ProvisioningTimes provisioningTimes() {
        return provisioningTimes;
    }

    /** Device ids (serials and hostnames) in manifest order, switches first. */
    public List<String> devices() {
        return List.copyOf(servers.keySet());
    }

    boolean isSwitch(String device) {
        return switches.containsKey(device);
    }

    URI deviceUri(String device) {
        return servers.get(device).baseUri();
    }

    /** The manifest with every address replaced by the one this simulator serves. */
    public RackManifest servedManifest() {
        List<SwitchSpec> servedSwitches = new ArrayList<>();
        for (SwitchSpec s : manifest.switches()) {
            servedSwitches.add(new SwitchSpec(s.hostname(), hostPort(s.hostname()), s.serial(), s.model(), s.osVersion(),
                    s.role(), s.cabling(), s.config(), s.bgpPeers()));
        }
        List<ServerSpec> servedServers = new ArrayList<>();
        for (ServerSpec s : manifest.servers()) {
            servedServers.add(new ServerSpec(s.serial(), s.assetTag(), s.positionU(), hostPort(s.serial()), s.reason(),
                    s.replacedComponent(), s.profile(), s.inlineProfile()));
        }
        return new RackManifest(manifest.rackId(), servedSwitches, servedServers, manifest.profiles());
    }

    private String hostPort(String device) {
        return "127.0.0.1:" + servers.get(device).port();
    }

    private static void requireKnown(boolean known, String device) {
        if (!known) {
            throw new IllegalArgumentException("no such simulated device: " + device);
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        servers.values().forEach(DeviceServer::close);
        executor.shutdownNow();
    }
}
