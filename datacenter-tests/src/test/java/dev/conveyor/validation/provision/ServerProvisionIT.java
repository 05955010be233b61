package dev.conveyor.validation.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.datacenter.testing.Datacenter;
import dev.conveyor.datacenter.testing.ProvisionedRack;
import dev.conveyor.dcsim.BmcProvisioning;
import dev.conveyor.dcsim.Fault;
import dev.conveyor.dcsim.ProvisioningTimes;
import dev.conveyor.validation.provision.ProvisionRequest.FirmwareImage;
import dev.conveyor.worker.WorkerPool;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Provisioning jobs ({@value ServerProvisionManager#TYPE}) against simulated BMCs over HTTPS: every
 * step end to end, a re-run that touches nothing, and each failure with its retry classification.
 * Each test provisions a server of its own, so that what one test changed does not meet another.
 */
@ExtendWith(TestDatabase.class)
class ServerProvisionIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Datacenter dc;
    private static WorkerPool pool;
    private static ServerProvisionManager jobs;

    @BeforeAll
    static void start(TestDb db) {
        dc = Datacenter.start(db, ProvisionedRack.rackR1());
        dc.sim().provisioningTimes(new ProvisioningTimes(Duration.ofMillis(600), Duration.ofMillis(400)));
        jobs = new ServerProvisionManager(dc.queue());
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

    @Test
    void everyStepRunsAndARerunTouchesNothing() throws Exception {
        String serial = "R1SRV0001";
        dc.sim().faults(serial).inject(new Fault.FirmwareBelowBaseline("BIOS", "2.1.0"));
        dc.sim().faults(serial).inject(new Fault.FirmwareBelowBaseline("BMC", "7.9.1"));

        JobSnapshot job = run(request(serial, true));

        assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.SUCCEEDED);
        JsonNode result = JSON.readTree(job.result());
        assertThat(result.path("server").asText()).isEqualTo(serial);
        assertThat(verdicts(result)).containsExactly(
                Map.entry("firmware-bios", "STAGED"), Map.entry("firmware-bmc", "CHANGED"),
                Map.entry("bios-settings", "STAGED"), Map.entry("boot-override", "CHANGED"),
                Map.entry("power-reset", "CHANGED"), Map.entry("bios-verify", "OK"));
        BmcProvisioning bmc = dc.sim().provisioning(serial);
        assertThat(bmc.biosAttributes()).containsAllEntriesOf(ProvisionedRack.BIOS_ATTRIBUTES);
        assertThat(bmc.boots()).containsExactly("Pxe");
        assertThat(bmc.resets()).isEqualTo(1);
        Map<String, JobEventRecord> steps = steps(job.id());
        assertThat(steps.get("firmware-bios").command()).contains("POST https://127.0.0.1:",
                "/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate ({\"ImageURI\":\""
                        + ProvisionedRack.BIOS_IMAGE + "\",\"TransferProtocol\":\"HTTPS\"}) → 202",
                "/redfish/v1/TaskService/TaskMonitors/");
        assertThat(steps.get("firmware-bios").message()).contains("inventory still reports 2.1.0",
                "applied at the next reset");
        assertThat(steps.get("firmware-bmc").message()).startsWith("BMC updated from 7.9.1 to 7.10.30");
        assertThat(steps.get("bios-settings").command()).contains("PATCH https://127.0.0.1:", "/Bios/Settings",
                "SriovGlobalEnable", "→ 204");
        assertThat(steps.get("boot-override").command()).contains(
                "{\"Boot\":{\"BootSourceOverrideTarget\":\"Pxe\",\"BootSourceOverrideEnabled\":\"Once\"}}) → 204");
        assertThat(steps.get("power-reset").command()).contains("{\"ResetType\":\"ForceRestart\"}) → 204");
        assertThat(steps.get("power-reset").message()).isEqualTo("ForceRestart: PowerState On → On");
        assertThat(steps.get("firmware-bios-verify").message()).isEqualTo("BIOS runs 2.3.5 after the reset");

        // The faults describe the server before provisioning; the update has replaced what they report.
        int writes = bmc.writes();
        JobSnapshot again = run(request(serial, false));

        assertThat(again.state()).as(again.lastError()).isEqualTo(JobState.SUCCEEDED);
        assertThat(verdicts(JSON.readTree(again.result()))).containsExactly(
                Map.entry("firmware-bios", "UNCHANGED"), Map.entry("firmware-bmc", "UNCHANGED"),
                Map.entry("bios-settings", "UNCHANGED"), Map.entry("boot-override", "SKIPPED"),
                Map.entry("power-reset", "UNCHANGED"), Map.entry("bios-verify", "OK"));
        assertThat(bmc.writes()).as("requests that changed the BMC").isEqualTo(writes);
        assertThat(bmc.resets()).isEqualTo(1);
        assertThat(steps(again.id()).get("firmware-bios").message()).isEqualTo("BIOS already runs 2.3.5; not touched");
        assertThat(steps(again.id()).get("firmware-bios").command()).doesNotContain("POST");
    }

    @Test
    void anImageThatFailsToApplyEndsTheJobDeadWithoutRetry() {
        String serial = "R1SRV0002";
        dc.sim().faults(serial).inject(new Fault.FirmwareBelowBaseline("BMC", "7.9.1"));
        dc.sim().faults(serial).inject(new Fault.ImageFails("BMC", "signature check failed: image rejected"));

        JobSnapshot job = run(request(serial, false));

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.lastError()).contains("server R1SRV0002 not provisioned: firmware-bmc: update task",
                "ended Exception (Critical): signature check failed: image rejected");
        assertThat(steps(job.id()).get("firmware-bmc").statusCode()).isEqualTo("FAIL");
        assertThat(dc.sim().provisioning(serial).resets()).as("nothing after the failed step").isZero();
    }

    @Test
    void aResetThatNeverCompletesTimesOutWithTheObservedState() {
        String serial = "R1SRV0003";
        dc.sim().faults(serial).inject(new Fault.ResetHangs());

        JobSnapshot job = run(request(serial, true));

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.lastError()).contains("power-reset: after ForceRestart the system did not come back On within "
                + ProvisionedRack.RESET_TIMEOUT_SECONDS + " s: PowerState is PoweringOn");
        assertThat(steps(job.id()).get("power-reset").statusCode()).isEqualTo("FAIL");
    }

    @Test
    void anUnreachableBmcIsRetriedUntilItAnswers() {
        String serial = "R1SRV0004";
        dc.sim().faults(serial).inject(new Fault.Unreachable());

        long id = jobs.submit(request(serial, false)).jobId();
        Conditions.await(PATIENCE, "a failed attempt while the BMC is unreachable", () -> dc.queue()
                .events(id, 0, 100).stream().anyMatch(e -> "UNAVAILABLE".equals(e.statusCode())));
        dc.sim().faults(serial).clear();
        JobSnapshot job = dc.awaitEnded(id, PATIENCE);

        assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.attempt()).isGreaterThan(1);
        assertThat(dc.queue().events(id, 0, 100)).anySatisfy(e -> {
            assertThat(e.step()).isEqualTo("bmc-reachable");
            assertThat(e.statusCode()).isEqualTo("UNAVAILABLE");
            assertThat(e.message()).contains("device unavailable, will retry");
        });
    }

    @Test
    void aRequestTheBmcRefusesIsNotRetried() {
        String serial = "R1SRV0005";
        dc.sim().faults(serial).inject(new Fault.FirmwareBelowBaseline("BMC", "7.9.1"));
        ProvisionRequest ftp = new ProvisionRequest(serial, dc.server(serial).bmcAddress(), "r1",
                List.of(new FirmwareImage("BMC", "7.10.30", "ftp://fw.example.test/bmc-7.10.30.bin")), Map.of(),
                null, 30, ProvisionedRack.RESET_TIMEOUT_SECONDS);

        JobSnapshot job = run(ftp);

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.lastError()).contains("HTTP 400", "TransferProtocol FTP is not supported");
        assertThat(steps(job.id()).get("firmware-bmc").statusCode()).isEqualTo("ERROR");
    }

    @Test
    void anUnknownBiosAttributeIsRefusedBeforeAnythingIsWritten() {
        String serial = "R1SRV0006";
        ProvisionRequest request = new ProvisionRequest(serial, dc.server(serial).bmcAddress(), "r1", List.of(),
                Map.of("NoSuchKnob", "On"), null, 30, ProvisionedRack.RESET_TIMEOUT_SECONDS);

        JobSnapshot job = run(request);

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.lastError()).contains("bios-settings: the BIOS has no attribute NoSuchKnob");
        assertThat(dc.sim().provisioning(serial).writes()).isZero();
    }

    @Test
    void aPayloadThatIsNotARequestEndsDeadNamingTheField() {
        long id = dc.queue().submit(dev.conveyor.core.NewJob.builder(ServerProvisionManager.QUEUE,
                ServerProvisionManager.TYPE).payload("{\"serial\":\"R1SRV0007\",\"bmcAddress\":\"not an address\"}"
                .getBytes(StandardCharsets.UTF_8), "application/json").build()).jobId();

        JobSnapshot job = dc.awaitEnded(id, PATIENCE);

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.lastError()).contains("bad provisioning request: bmcAddress: must be host or host:port");
    }

    /** The profile's provisioning of this server, optionally without the PXE boot. */
    private static ProvisionRequest request(String serial, boolean pxe) {
        return new ProvisionRequest(serial, dc.server(serial).bmcAddress(), "r1",
                List.of(new FirmwareImage("BIOS", "2.3.5", ProvisionedRack.BIOS_IMAGE),
                        new FirmwareImage("BMC", "7.10.30", ProvisionedRack.BMC_IMAGE)),
                ProvisionedRack.BIOS_ATTRIBUTES, pxe ? true : null, 30, ProvisionedRack.RESET_TIMEOUT_SECONDS);
    }

    private static JobSnapshot run(ProvisionRequest request) {
        return dc.awaitEnded(jobs.submit(request).jobId(), PATIENCE);
    }

    private static Map<String, String> verdicts(JsonNode result) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        result.path("steps").properties().forEach(e -> verdicts.put(e.getKey(), e.getValue().asText()));
        return verdicts;
    }

    /** The last event of each step. */
    private static Map<String, JobEventRecord> steps(long jobId) {
        Map<String, JobEventRecord> steps = new LinkedHashMap<>();
        dc.queue().events(jobId, 0, 500).stream().filter(e -> JobEventRecord.STEP.equals(e.kind()))
                .forEach(e -> steps.put(e.step(), e));
        return steps;
    }
}
