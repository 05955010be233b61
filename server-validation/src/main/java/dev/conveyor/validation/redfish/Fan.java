package dev.conveyor.validation.redfish;

import java.util.OptionalDouble;

/** A fan and its speed, in {@code readingUnits} ("RPM" or "Percent"). */
public record Fan(String name, OptionalDouble reading, String readingUnits, ResourceStatus status) {}
