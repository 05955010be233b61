package dev.conveyor.tor.job;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a TOR starter job checks and configures on one switch. Its fields come from a validated rack
 * manifest (the rack workflow maps {@code SwitchSpec} to this), so they are only checked for
 * presence here.
 *
 * @param managementAddress {@code host[:port]} of the switch's eAPI (HTTPS)
 * @param bgpPeers          peer addresses whose sessions must be established once configured
 */
public record SwitchJobSpec(String rack, String hostname, String managementAddress, String serial, String model,
        String osVersion, String role, List<PlannedCable> cabling, String configTemplate,
        Map<String, String> configVariables, List<String> bgpPeers) {

    public SwitchJobSpec {
        Objects.requireNonNull(rack, "rack");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(managementAddress, "managementAddress");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(osVersion, "osVersion");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(configTemplate, "configTemplate");
        cabling = List.copyOf(cabling);
        configVariables = Map.copyOf(configVariables);
        bgpPeers = List.copyOf(bgpPeers);
    }
}
