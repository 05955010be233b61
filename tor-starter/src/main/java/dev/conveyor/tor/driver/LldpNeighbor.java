package dev.conveyor.tor.driver;

import java.util.Objects;

/** One LLDP neighbor heard on a local port. */
public record LldpNeighbor(String localPort, String neighborDevice, String neighborPort, int ttlSeconds) {
    public LldpNeighbor {
        Objects.requireNonNull(localPort, "localPort");
        Objects.requireNonNull(neighborDevice, "neighborDevice");
        Objects.requireNonNull(neighborPort, "neighborPort");
    }
}
