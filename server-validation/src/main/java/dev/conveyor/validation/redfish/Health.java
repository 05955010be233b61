package dev.conveyor.validation.redfish;

/** The Redfish {@code Status.Health} values, and UNKNOWN when a resource reports none. */
public enum Health {
    OK,
    WARNING,
    CRITICAL,
    UNKNOWN;

    static Health of(String value) {
        return switch (value) {
            case "OK" -> OK;
            case "Warning" -> WARNING;
            case "Critical" -> CRITICAL;
            default -> UNKNOWN;
        };
    }
}
