package dev.conveyor.validation.redfish;

/**
 * A drive, read from {@code Storage/…/Drives} or, on BMCs without {@code Storage}, from a
 * {@code SimpleStorage} device (which has no id: its name stands in).
 */
public record Drive(String id, String name, String model, String serialNumber, long capacityBytes,
        ResourceStatus status) {}
