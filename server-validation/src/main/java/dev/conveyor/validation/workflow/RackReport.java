package dev.conveyor.validation.workflow;

import dev.conveyor.core.JobState;
import java.util.List;

/**
 * A rack validation at one moment: the parent job and every device's row. Once the parent has
 * run, the summary of a rack that passed is this report as JSON (its result).
 */
public record RackReport(String rackId, long parentJobId, JobState parentState, List<DeviceReport> devices) {
    public RackReport {
        devices = List.copyOf(devices);
    }

    public long passed() {
        return devices.stream().filter(DeviceReport::passed).count();
    }

    /** See {@link RackVerdict}; a rack without devices is judged by its parent alone. */
    public RackVerdict verdict() {
        if (devices.stream().anyMatch(d -> !d.state().isTerminal()) || devices.isEmpty() && !parentState.isTerminal()) {
            return RackVerdict.IN_PROGRESS;
        }
        boolean passed = devices.isEmpty() ? parentState == JobState.SUCCEEDED : failed() == 0;
        return passed ? RackVerdict.PASSED : RackVerdict.FAILED;
    }

    /** Devices whose job ended without succeeding. */
    public long failed() {
        return devices.stream().filter(d -> d.state().isTerminal() && !d.passed()).count();
    }
}
