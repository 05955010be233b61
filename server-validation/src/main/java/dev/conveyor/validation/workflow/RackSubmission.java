package dev.conveyor.validation.workflow;

import java.util.List;

/**
 * The jobs of one rack validation.
 *
 * @param deduplicated true when the request id matched an earlier, identical request: these are
 *                     the jobs it created, and nothing new was
 */
public record RackSubmission(String rackId, long parentJobId, List<DeviceJob> devices, boolean deduplicated) {
    public RackSubmission {
        devices = List.copyOf(devices);
    }
}
