package dev.conveyor.validation.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.proto.v1.DeviceKind;
import dev.conveyor.proto.v1.DeviceStatus;
import dev.conveyor.proto.v1.FailedCheck;
import dev.conveyor.proto.v1.JobState;
import dev.conveyor.proto.v1.RackStatus;
import dev.conveyor.proto.v1.RackVerdict;
import org.junit.jupiter.api.Test;

class RackStatusCommandTest {

    @Test
    void theGridHasOneRowPerDeviceAndOneMorePerFailedCheck() {
        RackStatus status = RackStatus.newBuilder().setRackId("r1").setParentJobId(41)
                .setParentState(JobState.JOB_STATE_WAITING).setPassed(1).setFailed(1)
                .setVerdict(RackVerdict.RACK_VERDICT_IN_PROGRESS)
                .addDevices(DeviceStatus.newBuilder().setDevice("r1-tor-a").setKind(DeviceKind.DEVICE_KIND_SWITCH)
                        .setJobId(42).setState(JobState.JOB_STATE_SUCCEEDED))
                .addDevices(DeviceStatus.newBuilder().setDevice("R1SRV0005").setKind(DeviceKind.DEVICE_KIND_SERVER)
                        .setPositionU(7).setJobId(43).setState(JobState.JOB_STATE_DEAD)
                        .addFailedChecks(FailedCheck.newBuilder().setCheck("firmware-bios").setExpected("≥ 2.3.5")
                                .setObserved("2.1.0"))
                        .addFailedChecks(FailedCheck.newBuilder().setCheck("fans").setExpected("all OK")
                                .setObserved("Fan 2 CRITICAL")))
                .addDevices(DeviceStatus.newBuilder().setDevice("R1SRV0006").setKind(DeviceKind.DEVICE_KIND_SERVER)
                        .setPositionU(8).setJobId(44).setState(JobState.JOB_STATE_RUNNING))
                .build();

        String[] lines = RackStatusCommand.grid(status).split("\\R");

        assertThat(lines[0]).isEqualTo("rack r1 IN PROGRESS (parent job 41, WAITING): 1 passed, 1 failed, 1 in progress");
        assertThat(lines[1]).matches("DEVICE +KIND +U +STATE +CHECK +EXPECTED +OBSERVED");
        assertThat(lines[2]).matches("r1-tor-a +switch +- +SUCCEEDED +- *");
        assertThat(lines[3]).matches("R1SRV0005 +server +7 +DEAD +firmware-bios +≥ 2.3.5 +2.1.0");
        assertThat(lines[4]).matches("R1SRV0005 +server +7 +DEAD +fans +all OK +Fan 2 CRITICAL");
        assertThat(lines[5]).matches("R1SRV0006 +server +8 +RUNNING +- *");
        assertThat(lines[1].indexOf("CHECK")).isEqualTo(lines[3].indexOf("firmware-bios"));
    }

    @Test
    void theExitCodeIsTheRacksVerdict() {
        assertThat(RackStatusCommand.exitCode(RackVerdict.RACK_VERDICT_PASSED)).isZero();
        assertThat(RackStatusCommand.exitCode(RackVerdict.RACK_VERDICT_FAILED)).isEqualTo(5);
        assertThat(RackStatusCommand.exitCode(RackVerdict.RACK_VERDICT_IN_PROGRESS)).isEqualTo(8);
        assertThat(RackStatusCommand.exitCode(RackVerdict.RACK_VERDICT_UNSPECIFIED)).isEqualTo(1);
    }
}
