package dev.conveyor.tor.driver;

import java.util.Objects;

/** An interface's link ("connected", "notconnect", "disabled", "errdisabled") and protocol state. */
public record InterfaceStatus(String name, String linkStatus, String lineProtocolStatus, long bandwidthBitsPerSecond) {
    public InterfaceStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(linkStatus, "linkStatus");
        Objects.requireNonNull(lineProtocolStatus, "lineProtocolStatus");
    }

    public boolean up() {
        return "connected".equals(linkStatus) && "up".equals(lineProtocolStatus);
    }
}
