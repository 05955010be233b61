package dev.conveyor.validation.redfish;

/** A member of {@code UpdateService/FirmwareInventory}: what runs on one component. */
public record FirmwareComponent(String id, String name, String version, boolean updateable) {}
