package dev.conveyor.validation.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.validation.redfish.EthernetInterface.Role;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a system's physical network ports from the other members of its {@code EthernetInterfaces}
 * collection, with what the schema offers:
 *
 * <ol>
 * <li>the host interface: a member that a manager's {@code HostInterfaces/…/HostEthernetInterfaces}
 *     lists (DSP0270; XClarity and iLO put their USB NIC to the BMC beside the real ports);</li>
 * <li>{@code EthernetInterfaceType} (EthernetInterface v1_6): {@code Physical} or {@code Virtual},
 *     the latter a VLAN when its {@code VLAN.VLANEnable} is true;</li>
 * <li>without that property: a VLAN when {@code VLAN.VLANEnable} is true and
 *     {@code Links.RelatedInterfaces} names the interface it rides on, unless it links a
 *     {@code Port} or {@code NetworkDeviceFunction} (only hardware has those); otherwise physical,
 *     since older BMCs list only their ports.</li>
 * </ol>
 */
final class InterfaceRoles {
    private final Set<String> hostInterfaces;

    private InterfaceRoles(Set<String> hostInterfaces) {
        this.hostInterfaces = hostInterfaces;
    }

    /** Reads the host interfaces of every manager; a service without managers or host interfaces has none. */
    static InterfaceRoles read(RedfishNavigator navigator, Resource root) {
        Set<String> host = new HashSet<>();
        Optional<String> managers = root.link("Managers");
        if (managers.isPresent()) {
            for (Resource manager : navigator.members(managers.get())) {
                Optional<String> interfaces = manager.link("HostInterfaces");
                if (interfaces.isEmpty()) {
                    continue;
                }
                for (Resource hostInterface : navigator.members(interfaces.get())) {
                    hostInterface.link("HostEthernetInterfaces")
                            .ifPresent(link -> host.addAll(navigator.memberLinks(link)));
                }
            }
        }
        return new InterfaceRoles(host);
    }

    Role of(String odataId, Resource nic) {
        if (hostInterfaces.contains(odataId)) {
            return Role.HOST_INTERFACE;
        }
        boolean vlanEnabled = nic.node().path("VLAN").path("VLANEnable").asBoolean(false);
        String type = nic.text("EthernetInterfaceType");
        if (type.equals("Physical")) {
            return Role.PHYSICAL;
        }
        if (type.equals("Virtual")) {
            return vlanEnabled ? Role.VLAN : Role.VIRTUAL;
        }
        boolean hardware = links(nic, "Ports") || links(nic, "NetworkDeviceFunctions");
        return vlanEnabled && links(nic, "RelatedInterfaces") && !hardware ? Role.VLAN : Role.PHYSICAL;
    }

    /** Whether {@code Links.<property>} links anything; the arrays are optional. */
    private static boolean links(Resource nic, String property) {
        JsonNode value = nic.node().path("Links").path(property);
        return value.isArray() && !value.isEmpty();
    }
}
