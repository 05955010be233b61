package dev.conveyor.validation.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Reads {@code ThermalSubsystem}: fans are a collection of {@code Fan} resources, and temperatures
 * come from {@code ThermalMetrics}, whose readings point with {@code DataSourceUri} at the
 * {@code Sensor} that holds the thresholds.
 */
final class ThermalSubsystemReader {
    private ThermalSubsystemReader() {}

    static ThermalReadings read(RedfishNavigator navigator, Resource subsystem) {
        List<Fan> fans = subsystem.link("Fans").map(navigator::members).orElse(List.of()).stream()
                .map(fan -> new Fan(fan.text("Name"), fan.number("SpeedPercent", "Reading"), "Percent", fan.status()))
                .toList();
        List<Temperature> temperatures = new ArrayList<>();
        for (String link : subsystem.link("ThermalMetrics").stream().toList()) {
            Resource metrics = navigator.fetch(link);
            for (JsonNode node : metrics.node().path("TemperatureReadingsCelsius")) {
                temperatures.add(temperature(navigator, metrics.child(node)));
            }
        }
        return new ThermalReadings(fans, temperatures);
    }

    private static Temperature temperature(RedfishNavigator navigator, Resource reading) {
        String source = reading.text("DataSourceUri");
        if (source.isEmpty()) {
            return new Temperature(reading.text("DeviceName"), reading.number("Reading"),
                    OptionalDouble.empty(), new ResourceStatus("Unknown", Health.UNKNOWN));
        }
        Resource sensor = navigator.fetch(source);
        return new Temperature(sensor.text("Name"), reading.number("Reading"),
                sensor.number("Thresholds", "UpperCritical", "Reading"), sensor.status());
    }
}
