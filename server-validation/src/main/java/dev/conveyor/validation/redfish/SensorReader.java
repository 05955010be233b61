package dev.conveyor.validation.redfish;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Reads a chassis's {@code Sensors} collection (Sensor v1_0 on): the temperature sensors, those
 * whose {@code ReadingType} is {@code Temperature} (or, without a type, whose {@code ReadingUnits}
 * is {@code Cel}), with {@code Reading} and {@code Thresholds.UpperCritical.Reading}.
 */
final class SensorReader {
    private SensorReader() {}

    static List<Temperature> temperatures(RedfishNavigator navigator, String sensorsCollection) {
        List<Temperature> temperatures = new ArrayList<>();
        for (Resource sensor : navigator.members(sensorsCollection)) {
            String type = sensor.text("ReadingType");
            boolean temperature = type.isEmpty() ? sensor.text("ReadingUnits").equals("Cel") : type.equals("Temperature");
            if (temperature) {
                temperatures.add(new Temperature(sensor.text("Name"), sensor.number("Reading"),
                        upperCritical(sensor), sensor.status()));
            }
        }
        return temperatures;
    }

    /** {@code UpperCritical}, else {@code UpperFatal}: a sensor with only the fatal limit still has one. */
    private static OptionalDouble upperCritical(Resource sensor) {
        OptionalDouble critical = sensor.number("Thresholds", "UpperCritical", "Reading");
        return critical.isPresent() ? critical : sensor.number("Thresholds", "UpperFatal", "Reading");
    }
}
