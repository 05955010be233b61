package dev.conveyor.validation.redfish;

/**
 * A {@code ComputerSystem} and its summaries.
 *
 * @param odataId the resource's {@code @odata.id}, the handle the client's other methods take
 * @param totalMemoryGiB {@code MemorySummary.TotalSystemMemoryGiB}, 0 when not reported
 */
public record ComputerSystem(String odataId, String id, String serialNumber, String model, String manufacturer,
        String biosVersion, ResourceStatus status, int processorCount, String processorModel, double totalMemoryGiB) {}
