package dev.conveyor.tor.driver;

import java.util.Objects;

/** A power supply slot and its state ("ok", "powerLoss", "failed", "notInserted", …). */
public record PowerSupplyStatus(String slot, String model, String state) {
    public PowerSupplyStatus {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(state, "state");
    }

    public boolean ok() {
        return "ok".equalsIgnoreCase(state);
    }
}
