package dev.conveyor.validation.redfish;

import java.util.List;

/**
 * A chassis's fans and temperatures, from {@code ThermalSubsystem} when the BMC has it, else from
 * the deprecated {@code Thermal} resource.
 */
public record ThermalReadings(List<Fan> fans, List<Temperature> temperatures) {
    public ThermalReadings {
        fans = List.copyOf(fans);
        temperatures = List.copyOf(temperatures);
    }
}
