package dev.conveyor.validation.workflow;

import dev.conveyor.core.JobState;
import dev.conveyor.device.CheckResult;
import java.util.List;

/**
 * One device's row in a rack's status grid.
 *
 * @param positionU the server's lowest rack unit; 0 for a switch
 * @param lastError why the job did not succeed (the failed checks, a dependency that failed, an
 *                  unreachable device), empty otherwise
 */
public record DeviceReport(String device, DeviceKind kind, int positionU, long jobId, JobState state,
        List<CheckResult> failedChecks, String lastError) {
    public DeviceReport {
        failedChecks = List.copyOf(failedChecks);
        lastError = lastError == null ? "" : lastError;
    }

    public boolean passed() {
        return state == JobState.SUCCEEDED;
    }
}
