package dev.conveyor.validation.redfish;

/** A memory slot ({@code Memory} resource); an empty slot has state Absent and capacity 0. */
public record MemoryModule(String id, String name, long capacityMiB, ResourceStatus status) {}
