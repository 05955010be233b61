package dev.conveyor.validation.redfish;

import java.util.OptionalDouble;

/** A power supply, from {@code PowerSubsystem} or the deprecated {@code Power} resource. */
public record PowerSupply(String name, String model, String serialNumber, OptionalDouble capacityWatts,
        ResourceStatus status) {}
