package dev.conveyor.validation.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.datacenter.testing.Datacenter;
import dev.conveyor.dcsim.Fault;
import dev.conveyor.device.CheckResult;
import dev.conveyor.device.CheckStatus;
import dev.conveyor.rack.HardwareProfile;
import dev.conveyor.worker.WorkerPool;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every check's verdict on the shapes real BMCs report (dc-sim's {@code BmcShape}s), passing and
 * failing: the verdicts that were wrong on a vendor-shaped service (issue 11) each have a test here
 * that failed before its fix.
 */
@ExtendWith(TestDatabase.class)
class BmcShapesIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SERVER = "R1SRV0002";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Datacenter dc;
    private static WorkerPool pool;
    private static ServerValidationManager jobs;

    @BeforeAll
    static void start(TestDb db) {
        dc = Datacenter.start(db);
        jobs = new ServerValidationManager(dc.queue());
        pool = dc.startPool();
    }

    @AfterAll
    static void stop() {
        pool.close();
        dc.close();
    }

    @AfterEach
    void clearFaults() {
        dc.sim().clearAllFaults();
    }

    // ---- processors and accelerators

    @Test
    void anFpgaBesideTheCpusIsNotCountedAsACpu() {
        inject(new Fault.ExtraProcessor("FPGA", "Intel Stratix 10"), new Fault.AbsentCpuSocket());

        Map<String, CheckResult> checks = run(profile());

        CheckResult processors = checks.get("processors");
        assertThat(processors.status()).isEqualTo(CheckStatus.PASS);
        assertThat(processors.observed()).isEqualTo("2 × Intel(R) Xeon(R) Gold 6438Y+; besides the CPUs: "
                + "1 × Intel Stratix 10 (FPGA)");
        assertThat(checks.get("accelerators").status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(checks.get("accelerators").message()).contains("names no accelerators", "1 × Intel Stratix 10 (FPGA)");
    }

    @Test
    void aProfileNamesTheAcceleratorsItExpects() {
        HardwareProfile wantsGpu = withProfile("accelerators", "[{\"type\": \"GPU\", \"model\": \"NVIDIA H100\", \"count\": 1}]");
        inject(new Fault.ExtraProcessor("GPU", "NVIDIA H100"));
        CheckResult present = run(wantsGpu).get("accelerators");
        dc.sim().clearAllFaults();
        inject(new Fault.ExtraProcessor("FPGA", "Intel Stratix 10"));
        CheckResult wrong = run(wantsGpu).get("accelerators");

        assertThat(present.status()).isEqualTo(CheckStatus.PASS);
        assertThat(present.observed()).isEqualTo("1 × NVIDIA H100 (GPU)");
        assertThat(wrong.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(wrong.expected()).isEqualTo("1 × NVIDIA H100 (GPU)");
        assertThat(wrong.observed()).isEqualTo("1 × Intel Stratix 10 (FPGA)");
    }

    // ---- firmware

    @Test
    void aVendorBiosVersionIsNeverPassedAgainstABaselineItCannotBeComparedWith() {
        inject(new Fault.FirmwareBelowBaseline("BIOS", "P79 v1.45 (12/06/2017)"));

        CheckResult bios = run(withFirmware("1.50", "7.10.30")).get("firmware-bios");

        assertThat(bios.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(bios.observed()).isEqualTo("P79 v1.45 (12/06/2017)");
        assertThat(bios.message()).contains("cannot be compared with the baseline 1.50", "different version formats");
    }

    @Test
    void vendorVersionsAreComparedWithinTheirFamily() {
        inject(new Fault.FirmwareBelowBaseline("BIOS", "P79 v1.45 (12/06/2017)"),
                new Fault.FirmwareBelowBaseline("BMC", "1.45.455b66-rev4"));
        Map<String, CheckResult> above = run(withFirmware("P79 v1.40", "1.45"));
        Map<String, CheckResult> below = run(withFirmware("P79 v1.50", "1.46"));
        Map<String, CheckResult> otherFamily = run(withFirmware("U46 v1.00", "1.45"));

        assertThat(above.get("firmware-bios").status()).isEqualTo(CheckStatus.PASS);
        assertThat(above.get("firmware-bmc").status()).isEqualTo(CheckStatus.PASS);
        assertThat(below.get("firmware-bios").message()).contains("is below the baseline P79 v1.50");
        assertThat(below.get("firmware-bmc").message()).contains("is below the baseline 1.46");
        assertThat(otherFamily.get("firmware-bios").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(otherFamily.get("firmware-bios").message()).contains("family P79", "family U46");
    }

    @Test
    void lenovoAndDellVersionsOrderByTheirNumbers() {
        inject(new Fault.FirmwareBelowBaseline("BIOS", "TEE180F-3.20"), new Fault.FirmwareBelowBaseline("BMC", "A08"));
        Map<String, CheckResult> checks = run(withFirmware("TEE180F-3.4", "A10"));

        assertThat(checks.get("firmware-bios").status()).isEqualTo(CheckStatus.PASS);
        assertThat(checks.get("firmware-bmc").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(checks.get("firmware-bmc").message()).contains("A08 is below the baseline A10");
    }

    // ---- nics

    @Test
    void aPortThatIsDownFailsEvenWhenAVlanAndTheHostInterfaceMakeUpTheCount() {
        inject(new Fault.NicLinkDown("NIC 2", "Critical"), new Fault.VlanInterface(100, false), new Fault.HostInterface());

        CheckResult nics = run(profile()).get("nics");

        assertThat(nics.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(nics.expected()).isEqualTo("2 ports up at [25000, 25000] Mb/s");
        assertThat(nics.observed()).startsWith("2 ports, up and healthy at [25000] Mb/s")
                .contains("NIC 2 LinkDown/Enabled/CRITICAL", "not counted: VLAN 100 (vlan), ToManager (host interface)");
        assertThat(nics.message()).contains("NIC 2");
    }

    @Test
    void vlansAndTheHostInterfaceAreNotNics() {
        inject(new Fault.VlanInterface(200, true), new Fault.HostInterface());

        CheckResult nics = run(profile()).get("nics");

        assertThat(nics.status()).isEqualTo(CheckStatus.PASS);
        assertThat(nics.observed()).isEqualTo("2 ports, up and healthy at [25000, 25000] Mb/s; "
                + "not counted: VLAN 200 (vlan), ToManager (host interface)");
    }

    // ---- thermal

    @Test
    void aHotCpuReportedThroughSensorsFails() {
        inject(new Fault.SensorsThermal(), new Fault.TemperatureReading("CPU1 Temp", 96, null));

        Map<String, CheckResult> checks = run(profile());

        assertThat(checks.get("thermal").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(checks.get("thermal").observed()).isEqualTo("CPU1 Temp 96.0°C ≥ 95.0°C");
        assertThat(checks.get("fans").status()).isEqualTo(CheckStatus.PASS);
        assertThat(checks.get("fans").observed()).isEqualTo("6 fans OK");
    }

    @Test
    void sensorsBelowTheirThresholdsPass() {
        inject(new Fault.SensorsThermal());

        CheckResult thermal = run(profile()).get("thermal");

        assertThat(thermal.status()).isEqualTo(CheckStatus.PASS);
        assertThat(thermal.observed()).isEqualTo("3 sensors below");
    }

    @Test
    void aLegacyTemperatureAtItsCriticalThresholdFails() {
        inject(new Fault.TemperatureReading("CPU2 Temp", 95, null));

        CheckResult thermal = run(profile()).get("thermal");

        assertThat(thermal.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(thermal.observed()).isEqualTo("CPU2 Temp 95.0°C ≥ 95.0°C");
    }

    @Test
    void aTemperatureInHealthCriticalFailsBelowItsThreshold() {
        inject(new Fault.TemperatureReading("Inlet Temp", 30, "Critical"));

        CheckResult thermal = run(profile()).get("thermal");

        assertThat(thermal.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(thermal.observed()).isEqualTo("Inlet Temp health Critical");
    }

    @Test
    void withNoTemperatureToJudgeThermalIsSkippedNotPassed() {
        inject(new Fault.NoTemperatures());

        JobSnapshot job = submit(profile());
        CheckResult thermal = checks(job.id()).get("thermal");

        assertThat(thermal.status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(thermal.message()).contains("reports no temperature");
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    }

    // ---- drives

    @Test
    void anUnhealthyDriveIsNamedAndAbsentBaysAreNotDrives() {
        inject(new Fault.DriveHealth("Drive 1", "Warning"), new Fault.AbsentDriveBay());

        CheckResult drives = run(profile()).get("drives");

        assertThat(drives.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(drives.observed()).isEqualTo("3 of 4 drives qualify; unhealthy: Drive 1 WARNING");
        assertThat(drives.message()).isEqualTo("replace Drive 1 WARNING");
    }

    @Test
    void absentBaysDoNotCountAgainstAHealthyServer() {
        inject(new Fault.AbsentDriveBay(), new Fault.AbsentDriveBay());

        CheckResult drives = run(profile()).get("drives");

        assertThat(drives.status()).isEqualTo(CheckStatus.PASS);
        assertThat(drives.observed()).isEqualTo("4 of 4 drives qualify");
    }

    @Test
    void simpleStorageDrivesAreJudgedTheSameWay() {
        inject(new Fault.SimpleStorageOnly());
        CheckResult healthy = run(profile()).get("drives");
        inject(new Fault.DriveHealth("Drive 3", "Critical"));
        CheckResult failing = run(profile()).get("drives");

        assertThat(healthy.status()).isEqualTo(CheckStatus.PASS);
        assertThat(healthy.observed()).isEqualTo("4 of 4 drives qualify");
        assertThat(failing.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(failing.message()).isEqualTo("replace Drive 3 CRITICAL");
    }

    // ---- power supplies

    @Test
    void aPowerSupplyInWarningFails() {
        inject(new Fault.PowerSupplyWarning("PSU 1"));

        CheckResult supplies = run(profile()).get("power-supplies");

        assertThat(supplies.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(supplies.observed()).isEqualTo("PSU 1 WARNING");
    }

    // ---- event log

    @Test
    void aCriticalEntryOnALaterPageLinkedByODataNextLinkIsFound() {
        criticalEntryOnASecondPage(new Fault.PagedLog(1, "@odata.nextLink"));
    }

    @Test
    void aCriticalEntryOnALaterPageLinkedByMembersNextLinkIsFound() {
        criticalEntryOnASecondPage(new Fault.PagedLog(2, "Members@odata.nextLink"));
    }

    @Test
    void aPagedLogWithoutNewCriticalEntriesPasses() {
        inject(new Fault.PagedLog(1, "@odata.nextLink"));

        CheckResult log = run(profile()).get("event-log");

        assertThat(log.status()).isEqualTo(CheckStatus.PASS);
        assertThat(log.observed()).isEqualTo("2 entries, none new and Critical");
    }

    private void criticalEntryOnASecondPage(Fault.PagedLog paging) {
        inject(paging);
        dc.queue().pause(ServerValidationManager.QUEUE, "test", true);
        try {
            long id = jobs.submit("r1", dc.server(SERVER), profile()).jobId();
            inject(new Fault.CriticalLogEntry("Drive 2 predictive failure"));
            dc.queue().resume(ServerValidationManager.QUEUE);
            CheckResult log = checks(dc.awaitEnded(id, PATIENCE).id()).get("event-log");

            assertThat(log.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(log.observed()).contains("Drive 2 predictive failure");
        } finally {
            dc.queue().resume(ServerValidationManager.QUEUE);
        }
    }

    // ---- helpers

    private static void inject(Fault... faults) {
        for (Fault fault : faults) {
            dc.sim().faults(SERVER).inject(fault);
        }
    }

    private static Map<String, CheckResult> run(HardwareProfile profile) {
        return checks(submit(profile).id());
    }

    private static JobSnapshot submit(HardwareProfile profile) {
        return dc.awaitEnded(jobs.submit("r1", dc.server(SERVER), profile).jobId(), PATIENCE);
    }

    private static HardwareProfile profile() {
        return dc.manifest().profileOf(dc.server(SERVER)).orElseThrow();
    }

    /** The served profile with one property replaced, written as a manifest would write it. */
    private static HardwareProfile withProfile(String property, String json) {
        try {
            ObjectNode node = JSON.valueToTree(profile());
            node.set(property, JSON.readTree(json));
            return JSON.treeToValue(node, HardwareProfile.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HardwareProfile withFirmware(String bios, String bmc) {
        return withProfile("firmware", JSON.createObjectNode().put("bios", bios).put("bmc", bmc).toString());
    }

    private static Map<String, CheckResult> checks(long jobId) {
        return jobs.get(jobId).checks().stream().collect(Collectors.toMap(CheckResult::name, Function.identity(),
                (a, b) -> b, java.util.LinkedHashMap::new));
    }
}
