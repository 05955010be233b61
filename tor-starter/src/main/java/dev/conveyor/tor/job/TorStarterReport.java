package dev.conveyor.tor.job;

import dev.conveyor.device.CheckResult;
import java.util.List;

/** A switch job as read: its plan, and what its last attempt found. */
public record TorStarterReport(TorStarterJob job, List<TorUplink> uplinks, List<TorFan> fans,
        List<TorPowerSupply> powerSupplies, List<CheckResult> checks) {

    public TorStarterReport {
        uplinks = List.copyOf(uplinks);
        fans = List.copyOf(fans);
        powerSupplies = List.copyOf(powerSupplies);
        checks = List.copyOf(checks);
    }

    /** The checks that failed, in the order they ran. */
    public List<CheckResult> failedChecks() {
        return checks.stream().filter(CheckResult::failed).toList();
    }

    /** The plan the job was submitted with. */
    public SwitchJobSpec spec() {
        return new SwitchJobSpec(job.getRack(), job.getHostname(), job.getManagementAddress(), job.getSerial(),
                job.getExpectedModel(), job.getTargetOsVersion(), job.getRole(),
                uplinks.stream().map(u -> new PlannedCable(u.getLocalPort(), u.getExpectedDevice(),
                        u.getExpectedPort())).toList(),
                job.getConfigTemplate(), TorStarterSql.variables(job.getConfigVariables()),
                TorStarterSql.peers(job.getBgpPeers()));
    }
}
