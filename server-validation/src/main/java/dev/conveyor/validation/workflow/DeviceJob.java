package dev.conveyor.validation.workflow;

import java.util.List;

/** The job created for one device of a rack validation, and the jobs it waits for. */
public record DeviceJob(String device, DeviceKind kind, long jobId, List<Long> dependsOn) {
    public DeviceJob {
        dependsOn = List.copyOf(dependsOn);
    }
}
