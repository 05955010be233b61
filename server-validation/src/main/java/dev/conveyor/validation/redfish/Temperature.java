package dev.conveyor.validation.redfish;

import java.util.OptionalDouble;

/** A temperature sensor's reading and its upper critical threshold, each when reported. */
public record Temperature(String name, OptionalDouble readingCelsius, OptionalDouble upperCriticalCelsius,
        ResourceStatus status) {
    /** True only when both values are known and the reading is at or past the threshold. */
    public boolean atOrAboveCritical() {
        return readingCelsius.isPresent() && upperCriticalCelsius.isPresent()
                && readingCelsius.getAsDouble() >= upperCriticalCelsius.getAsDouble();
    }
}
