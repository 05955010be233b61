package dev.conveyor.validation.redfish;

import java.util.OptionalInt;

/** A network interface; {@code linkStatus} is "LinkUp", "LinkDown", "NoLink" or empty. */
public record EthernetInterface(String id, String name, String macAddress, OptionalInt speedMbps, String linkStatus,
        ResourceStatus status) {
    public boolean linkUp() {
        return "LinkUp".equals(linkStatus);
    }
}
