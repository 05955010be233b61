package dev.conveyor.validation.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the deprecated {@code Thermal} resource, where fans and temperatures are inline arrays. */
final class LegacyThermalReader {
    private LegacyThermalReader() {}

    static ThermalReadings read(Resource thermal) {
        List<Fan> fans = new ArrayList<>();
        for (JsonNode node : thermal.node().path("Fans")) {
            Resource fan = thermal.child(node);
            String name = fan.text("Name").isEmpty() ? fan.text("FanName") : fan.text("Name");
            String units = fan.text("ReadingUnits").isEmpty() ? "RPM" : fan.text("ReadingUnits");
            fans.add(new Fan(name, fan.number("Reading"), units, fan.status()));
        }
        List<Temperature> temperatures = new ArrayList<>();
        for (JsonNode node : thermal.node().path("Temperatures")) {
            Resource sensor = thermal.child(node);
            temperatures.add(new Temperature(sensor.text("Name"), sensor.number("ReadingCelsius"),
                    sensor.number("UpperThresholdCritical"), sensor.status()));
        }
        return new ThermalReadings(fans, temperatures);
    }
}
