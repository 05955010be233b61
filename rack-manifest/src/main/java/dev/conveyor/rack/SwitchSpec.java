package dev.conveyor.rack;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A top-of-rack switch as planned.
 *
 * @param managementAddress {@code host[:port]} of its management interface (eAPI over HTTPS)
 * @param osVersion the OS version it must run
 * @param role what it is for, e.g. {@code tor} or {@code management}
 * @param cabling every port that must be cabled, and to what
 * @param bgpPeers addresses of the BGP peers that must be established after configuration
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SwitchSpec(String hostname, String managementAddress, String serial, String model, String osVersion,
        String role, List<CablingEntry> cabling, SwitchConfig config, List<String> bgpPeers) {
    public SwitchSpec {
        cabling = Specs.list(cabling);
        bgpPeers = Specs.list(bgpPeers);
    }
}
