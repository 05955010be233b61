package dev.conveyor.tor.driver;

import java.util.Objects;

/** Identity of a switch as it reports it. */
public record SwitchFacts(String model, String serialNumber, String osVersion, String systemMac) {
    public SwitchFacts {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(osVersion, "osVersion");
        Objects.requireNonNull(systemMac, "systemMac");
    }
}
