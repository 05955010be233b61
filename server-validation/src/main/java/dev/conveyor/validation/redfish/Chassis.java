package dev.conveyor.validation.redfish;

/** A {@code Chassis}; {@code odataId} is the handle for its thermal and power readings. */
public record Chassis(String odataId, String id, String name, String serialNumber, ResourceStatus status) {}
