package dev.conveyor.validation.job;

import dev.conveyor.device.CheckResult;
import java.util.List;

/** A server job as read: what the server must be, and what its last attempt found. */
public record ServerValidationReport(ServerValidationJob job, List<CheckResult> checks) {
    public ServerValidationReport {
        checks = List.copyOf(checks);
    }

    /** The checks that failed, in the order they ran. */
    public List<CheckResult> failedChecks() {
        return checks.stream().filter(CheckResult::failed).toList();
    }
}
