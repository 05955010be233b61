package dev.conveyor.validation.workflow;

import dev.conveyor.core.JobState;
import java.util.List;

/**
 * A rack validation at one moment: the parent job and every device's row. Once the parent has
 * run, its result is this report as JSON.
 */
public record RackReport(String rackId, long parentJobId, JobState parentState, List<DeviceReport> devices) {
    public RackReport {
        devices = List.copyOf(devices);
    }

    public long passed() {
        return devices.stream().filter(DeviceReport::passed).count();
    }

    /** Devices whose job ended without succeeding. */
    public long failed() {
        return devices.stream().filter(d -> d.state().isTerminal() && !d.passed()).count();
    }
}
