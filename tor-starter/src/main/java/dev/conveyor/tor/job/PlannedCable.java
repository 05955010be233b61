package dev.conveyor.tor.job;

import java.util.Objects;

/** A cable the plan says is on {@code localPort}, to {@code neighborPort} of {@code neighborDevice}. */
public record PlannedCable(String localPort, String neighborDevice, String neighborPort) {
    public PlannedCable {
        Objects.requireNonNull(localPort, "localPort");
        Objects.requireNonNull(neighborDevice, "neighborDevice");
        Objects.requireNonNull(neighborPort, "neighborPort");
    }
}
