package dev.conveyor.validation.redfish;

import java.util.Objects;

/**
 * A resource's {@code Status}: its state ("Enabled", "Absent", …, or "Unknown" when not reported)
 * and its health.
 */
public record ResourceStatus(String state, Health health) {
    public static final String ABSENT = "Absent";

    public ResourceStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(health, "health");
    }

    /** Whether the slot is populated; empty DIMM slots and CPU sockets report state Absent. */
    public boolean present() {
        return !ABSENT.equals(state);
    }

    public boolean healthy() {
        return health == Health.OK;
    }

    @Override
    public String toString() {
        return state + "/" + health;
    }
}
