package dev.conveyor.rack;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.rack.HardwareProfile.FirmwareBaseline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a whole manifest before anything is created from it and returns every problem, each with
 * the path of the field it is about, so a technician fixes the file in one pass.
 */
public final class ManifestValidator {
    static final int MAX_SWITCHES = 16;
    static final int MAX_SERVERS = 256;
    static final int MAX_POSITION_U = 60;
    /** Accelerator kinds per profile: what {@code server_validation_job.accelerators} holds. */
    static final int MAX_ACCELERATOR_KINDS = 8;
    static final int MAX_TEMPLATE_CHARS = 64 * 1024;

    private final List<ManifestProblem> problems = new ArrayList<>();
    /** First path that used each unique value, by scope and kind: "rack serial", "switches[0] port", … */
    private final Map<String, Map<String, String>> firstUse = new HashMap<>();

    private ManifestValidator() {}

    /** Every problem of the manifest, in file order; empty when it is valid. */
    public static List<ManifestProblem> validate(RackManifest manifest) {
        ManifestValidator validator = new ManifestValidator();
        validator.check(manifest);
        return List.copyOf(validator.problems);
    }

    /** @throws InvalidManifestException listing every problem, when there is one */
    public static RackManifest requireValid(RackManifest manifest) {
        List<ManifestProblem> problems = validate(manifest);
        if (!problems.isEmpty()) {
            throw new InvalidManifestException(problems);
        }
        return manifest;
    }

    private void check(RackManifest manifest) {
        text("rackId", manifest.rackId(), FieldRules.RACK_ID);
        if (manifest.switches().isEmpty() && manifest.servers().isEmpty()) {
            problem("switches", "a rack needs at least one switch or server");
        }
        if (manifest.switches().size() > MAX_SWITCHES) {
            problem("switches", "at most " + MAX_SWITCHES + " switches per rack, got " + manifest.switches().size());
        }
        if (manifest.servers().size() > MAX_SERVERS) {
            problem("servers", "at most " + MAX_SERVERS + " servers per rack, got " + manifest.servers().size());
        }
        manifest.profiles().forEach((name, profile) -> {
            String path = "profiles." + name;
            if (!FieldRules.PROFILE_NAME.accepts(name)) {
                problem(path, "profile name must be " + FieldRules.PROFILE_NAME.description());
            }
            profile(path, profile);
        });
        for (int i = 0; i < manifest.switches().size(); i++) {
            switchSpec("switches[" + i + "]", manifest.switches().get(i));
        }
        for (int i = 0; i < manifest.servers().size(); i++) {
            server("servers[" + i + "]", manifest.servers().get(i), manifest);
        }
    }

    private void switchSpec(String path, SwitchSpec sw) {
        if (sw == null) {
            problem(path, "is empty");
            return;
        }
        if (present(path + ".hostname", sw.hostname()) && !HostAddress.isHostname(sw.hostname())) {
            problem(path + ".hostname", "not a valid hostname: " + sw.hostname());
        } else if (sw.hostname() != null) {
            unique("device name", sw.hostname(), path + ".hostname");
        }
        address(path + ".managementAddress", sw.managementAddress());
        serial(path + ".serial", sw.serial());
        text(path + ".model", sw.model(), FieldRules.MODEL);
        text(path + ".osVersion", sw.osVersion(), FieldRules.VERSION);
        text(path + ".role", sw.role(), FieldRules.ROLE);
        for (int j = 0; j < sw.cabling().size(); j++) {
            cable(path + ".cabling[" + j + "]", sw.cabling().get(j), path);
        }
        config(path + ".config", sw.config());
        for (int j = 0; j < sw.bgpPeers().size(); j++) {
            String peer = sw.bgpPeers().get(j);
            Optional<HostAddress> address = HostAddress.parse(peer);
            boolean ip = address.isPresent() && address.get().port().isEmpty()
                    && (HostAddress.isIpv4(address.get().host()) || address.get().host().startsWith("["));
            if (!ip) {
                problem(path + ".bgpPeers[" + j + "]", "not an IPv4 or [IPv6] address: " + peer);
            }
        }
    }

    private void cable(String path, CablingEntry cable, String switchPath) {
        if (cable == null) {
            problem(path, "is empty");
            return;
        }
        if (text(path + ".port", cable.port(), FieldRules.PORT)) {
            unique(switchPath, "port", cable.port(), path + ".port");
        }
        boolean neighbor = text(path + ".neighbor", cable.neighbor(), FieldRules.NEIGHBOR);
        boolean neighborPort = text(path + ".neighborPort", cable.neighborPort(), FieldRules.PORT);
        if (neighbor && neighborPort) {
            unique("cable end", cable.neighbor() + " " + cable.neighborPort(), path + ".neighborPort");
        }
    }

    private void config(String path, SwitchConfig config) {
        if (config == null) {
            problem(path, "is required");
            return;
        }
        if (!present(path + ".template", config.template())) {
            return;
        }
        if (config.template().length() > MAX_TEMPLATE_CHARS) {
            problem(path + ".template", "longer than " + MAX_TEMPLATE_CHARS + " characters");
            return;
        }
        config.variables().forEach((name, value) -> {
            if (value == null || !FieldRules.VARIABLE_VALUE.accepts(value)) {
                problem(path + ".variables." + name, "must be " + FieldRules.VARIABLE_VALUE.description());
            }
        });
        try {
            List<String> missing = ConfigTemplate.parse(config.template()).missing(config.variables());
            if (!missing.isEmpty()) {
                problem(path + ".variables", "no value for template variable(s) " + String.join(", ", missing));
            }
        } catch (InvalidRequestException e) {
            problem(path + ".template", e.rule());
        }
    }

    private void server(String path, ServerSpec server, RackManifest manifest) {
        if (server == null) {
            problem(path, "is empty");
            return;
        }
        serial(path + ".serial", server.serial());
        text(path + ".assetTag", server.assetTag(), FieldRules.ASSET_TAG);
        if (present(path + ".positionU", server.positionU())) {
            if (server.positionU() < 1 || server.positionU() > MAX_POSITION_U) {
                problem(path + ".positionU", "must be between 1 and " + MAX_POSITION_U + ", got " + server.positionU());
            } else {
                unique("position", "U" + server.positionU(), path + ".positionU");
            }
        }
        address(path + ".bmcAddress", server.bmcAddress());
        if (present(path + ".reason", server.reason())) {
            replacedComponent(path, server);
        }
        if (server.profile() != null && server.inlineProfile() != null) {
            problem(path + ".profile", "give either profile or inlineProfile, not both");
        } else if (server.inlineProfile() != null) {
            profile(path + ".inlineProfile", server.inlineProfile());
        } else if (present(path + ".profile", server.profile()) && !manifest.profiles().containsKey(server.profile())) {
            problem(path + ".profile", "unknown profile '" + server.profile() + "'; known: "
                    + String.join(", ", manifest.profiles().keySet()));
        }
    }

    private void replacedComponent(String path, ServerSpec server) {
        ReplacedComponent part = server.replacedComponent();
        if (server.reason() == ServerSpec.Reason.NEW) {
            if (part != null) {
                problem(path + ".replacedComponent", "only a REPAIR names a replaced component");
            }
            return;
        }
        if (part == null) {
            problem(path + ".replacedComponent", "a REPAIR must name the replaced component");
            return;
        }
        present(path + ".replacedComponent.kind", part.kind());
        if (present(path + ".replacedComponent.name", part.name()) && part.name().isBlank()) {
            problem(path + ".replacedComponent.name", "must not be blank");
        }
    }

    private void profile(String path, HardwareProfile profile) {
        if (profile == null) {
            problem(path, "is empty");
            return;
        }
        if (present(path + ".cpu", profile.cpu())) {
            text(path + ".cpu.model", profile.cpu().model(), FieldRules.MODEL);
            range(path + ".cpu.count", profile.cpu().count(), 1, 8);
        }
        range(path + ".memoryGiB", profile.memoryGiB(), 1, 24 * 1024);
        if (present(path + ".drives", profile.drives())) {
            range(path + ".drives.count", profile.drives().count(), 0, 64);
            range(path + ".drives.minSizeGB", profile.drives().minSizeGB(), 1, 200_000);
        }
        if (present(path + ".nics", profile.nics())) {
            nics(path + ".nics", profile.nics());
        }
        if (profile.accelerators().size() > MAX_ACCELERATOR_KINDS) {
            problem(path + ".accelerators", "at most " + MAX_ACCELERATOR_KINDS + " kinds of accelerator, got "
                    + profile.accelerators().size());
        }
        for (int i = 0; i < profile.accelerators().size(); i++) {
            accelerator(path + ".accelerators[" + i + "]", profile.accelerators().get(i));
        }
        if (present(path + ".firmware", profile.firmware())) {
            FirmwareBaseline firmware = profile.firmware();
            firmwareVersion(path + ".firmware.bios", firmware.bios());
            firmwareVersion(path + ".firmware.bmc", firmware.bmc());
        }
        if (profile.provisioning() != null) {
            ProvisioningRules.check(path + ".provisioning", profile.provisioning(), this::problem);
        }
    }

    private void accelerator(String path, HardwareProfile.Accelerator accelerator) {
        if (!present(path, accelerator)) {
            return;
        }
        if (present(path + ".type", accelerator.type())
                && !HardwareProfile.ACCELERATOR_TYPES.contains(accelerator.type())) {
            problem(path + ".type", "must be one of " + String.join(", ", HardwareProfile.ACCELERATOR_TYPES)
                    + " (a Redfish ProcessorType other than CPU), got '" + accelerator.type() + "'");
        }
        text(path + ".model", accelerator.model(), FieldRules.MODEL);
        range(path + ".count", accelerator.count(), 1, 16);
    }

    /** A baseline in a vendor's format (see {@link FirmwareVersion}), so that the check can order it. */
    private void firmwareVersion(String path, String value) {
        if (present(path, value) && FirmwareVersion.parse(value).isEmpty()) {
            problem(path, "must be " + FirmwareVersion.FORMATS + ", got '" + value + "'");
        }
    }

    private void nics(String path, HardwareProfile.Nics nics) {
        if (range(path + ".count", nics.count(), 1, 32) && nics.speedsMbps().size() != nics.count()) {
            problem(path + ".speedsMbps", "needs one speed per NIC: " + nics.count() + " NICs, "
                    + nics.speedsMbps().size() + " speeds");
        }
        for (int i = 0; i < nics.speedsMbps().size(); i++) {
            range(path + ".speedsMbps[" + i + "]", nics.speedsMbps().get(i), 100, 800_000);
        }
    }

    private void serial(String path, String serial) {
        if (text(path, serial, FieldRules.SERIAL)) {
            unique("serial", serial, path);
        }
    }

    private void address(String path, String address) {
        if (!present(path, address)) {
            return;
        }
        Optional<HostAddress> parsed = HostAddress.parse(address);
        if (parsed.isEmpty()) {
            problem(path, "not host or host:port (IPv4, DNS name or [IPv6], port 1-65535): " + address);
        } else {
            unique("address", parsed.get().toString(), path);
        }
    }

    private boolean text(String path, String value, FieldRules rule) {
        if (!present(path, value)) {
            return false;
        }
        if (!rule.accepts(value)) {
            problem(path, "must be " + rule.description() + ", got '" + value + "'");
            return false;
        }
        return true;
    }

    private boolean range(String path, Integer value, int min, int max) {
        if (!present(path, value)) {
            return false;
        }
        if (value < min || value > max) {
            problem(path, "must be between " + min + " and " + max + ", got " + value);
            return false;
        }
        return true;
    }

    private boolean present(String path, Object value) {
        if (value == null) {
            problem(path, "is required");
            return false;
        }
        return true;
    }

    private void unique(String kind, String value, String path) {
        unique("rack", kind, value, path);
    }

    /** Reports a value already used by another field in the same scope (the rack, or one switch). */
    private void unique(String scope, String kind, String value, String path) {
        String first = firstUse.computeIfAbsent(scope + " " + kind, k -> new HashMap<>()).putIfAbsent(value, path);
        if (first != null) {
            problem(path, kind + " " + value + " is already used at " + first);
        }
    }

    private void problem(String path, String message) {
        problems.add(new ManifestProblem(path, message));
    }
}
