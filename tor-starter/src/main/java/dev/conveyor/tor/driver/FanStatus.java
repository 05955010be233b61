package dev.conveyor.tor.driver;

import java.util.Objects;

/**
 * A fan and the status the switch reports for it ("ok", "failed", …).
 *
 * @param location the tray or power supply that holds the fan
 */
public record FanStatus(String location, String label, String status) {
    public FanStatus {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(status, "status");
    }

    public boolean ok() {
        return "ok".equalsIgnoreCase(status);
    }
}
