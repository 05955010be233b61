package dev.conveyor.validation.redfish;

import java.util.OptionalInt;

/**
 * A network interface of a system; {@code linkStatus} is "LinkUp", "LinkDown", "NoLink" or empty.
 *
 * @param role what the interface is, as far as the schema lets the client tell (see {@link Role})
 */
public record EthernetInterface(String id, String name, String macAddress, OptionalInt speedMbps, String linkStatus,
        ResourceStatus status, Role role) {
    /** What kind of interface a system's {@code EthernetInterfaces} member is. */
    public enum Role {
        /** A port of a network adapter: what a profile's NICs are. */
        PHYSICAL,
        /** A VLAN on top of another interface. */
        VLAN,
        /** The host's end of the Redfish host interface to its own BMC (DSP0270), e.g. a USB NIC. */
        HOST_INTERFACE,
        /** Any other interface the BMC types {@code Virtual} (bond, bridge, …). */
        VIRTUAL
    }

    public boolean linkUp() {
        return "LinkUp".equals(linkStatus);
    }

    public boolean physical() {
        return role == Role.PHYSICAL;
    }
}
