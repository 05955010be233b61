package dev.conveyor.validation.redfish;

/** A processor socket; an empty socket has state Absent. */
public record Processor(String id, String name, String model, int totalCores, ResourceStatus status) {}
