package dev.conveyor.validation.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.datacenter.testing.Datacenter;
import dev.conveyor.dcsim.Fault;
import dev.conveyor.device.CheckResult;
import dev.conveyor.device.CheckStatus;
import dev.conveyor.rack.ReplacedComponent;
import dev.conveyor.rack.ServerSpec;
import dev.conveyor.worker.WorkerPool;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server validation checks against simulated BMCs over HTTPS (Redfish), run by a real worker pool. */
@ExtendWith(TestDatabase.class)
class ServerValidationIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SERVER = "R1SRV0001";

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
        dc.queue().resume(ServerValidationManager.QUEUE);
    }

    @Test
    void aServerAsPlannedPassesEveryCheck() {
        JobSnapshot job = run(dc.server(SERVER));

        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        Map<String, CheckResult> checks = checks(job.id());
        assertThat(checks.keySet()).containsExactly("identity", "processors", "accelerators", "memory", "drives", "nics",
                "system-health", "fans", "power-supplies", "thermal", "firmware-bios", "firmware-bmc", "event-log");
        // A profile that names no accelerators does not judge them.
        assertThat(checks.values()).allSatisfy(c -> assertThat(c.status()).isEqualTo(
                c.name().equals("accelerators") ? CheckStatus.SKIPPED : CheckStatus.PASS));
        assertThat(checks.get("processors").observed()).isEqualTo("2 × Intel(R) Xeon(R) Gold 6438Y+");
        assertThat(checks.get("memory").observed()).startsWith("512 GiB");
        assertThat(checks.get("firmware-bios").observed()).isEqualTo("2.3.5");
        Map<String, JobEventRecord> steps = steps(job.id());
        assertThat(steps.get("bmc-reachable").command()).contains("GET https://127.0.0.1:", "/redfish/v1 → 200");
        assertThat(steps.get("firmware-bios").statusCode()).isEqualTo("PASS");
        assertThat(dc.sim().openSessions(SERVER)).isZero();
    }

    @Test
    void aMissingDimmFailsMemoryWithTheShortfall() {
        dc.sim().faults(SERVER).inject(new Fault.MissingDimm("DIMM A3"));

        JobSnapshot job = run(dc.server(SERVER));

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.attempt()).isEqualTo(1);
        CheckResult memory = checks(job.id()).get("memory");
        assertThat(memory.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(memory.expected()).isEqualTo("512 GiB");
        assertThat(memory.observed()).isEqualTo("480 GiB in 15 DIMMs");
        assertThat(memory.message()).contains("32 GiB missing");
        assertThat(job.lastError()).contains("server R1SRV0001 (U3) failed 1 check: memory:");
    }

    @Test
    void firmwareBelowTheBaselineFails() {
        dc.sim().faults(SERVER).inject(new Fault.FirmwareBelowBaseline("BIOS", "2.1.0"));
        dc.sim().faults(SERVER).inject(new Fault.FirmwareBelowBaseline("BMC", "7.9.1"));

        JobSnapshot job = run(dc.server(SERVER));

        Map<String, CheckResult> checks = checks(job.id());
        assertThat(checks.get("firmware-bios")).isEqualTo(CheckResult.fail("firmware-bios", "≥ 2.3.5", "2.1.0",
                "BIOS firmware 2.1.0 is below the baseline 2.3.5: update it"));
        assertThat(checks.get("firmware-bmc").expected()).isEqualTo("≥ 7.10.30");
        assertThat(checks.get("firmware-bmc").observed()).isEqualTo("7.9.1");
        assertThat(job.lastError()).contains("failed 2 checks");
    }

    @Test
    void failedFanAndPowerSupplyFailTheirHealthChecks() {
        dc.sim().faults(SERVER).inject(new Fault.FailedFan("Fan 3"));
        dc.sim().faults(SERVER).inject(new Fault.FailedPowerSupply("PSU 2"));

        JobSnapshot job = run(dc.server(SERVER));

        Map<String, CheckResult> checks = checks(job.id());
        assertThat(checks.get("fans").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(checks.get("fans").observed()).isEqualTo("Fan 3 CRITICAL");
        assertThat(checks.get("power-supplies").observed()).isEqualTo("PSU 2 CRITICAL");
        assertThat(checks.get("memory").status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void theWrongServerIsNotCheckedFurther() {
        dc.sim().faults(SERVER).inject(new Fault.WrongSerial("R9SRV9999"));

        JobSnapshot job = run(dc.server(SERVER));

        Map<String, CheckResult> checks = checks(job.id());
        assertThat(checks.get("identity").expected()).isEqualTo("R1SRV0001");
        assertThat(checks.get("identity").observed()).isEqualTo("R9SRV9999");
        assertThat(checks.values()).filteredOn(c -> c.status() == CheckStatus.SKIPPED).hasSize(12);
        assertThat(job.lastError()).contains("another server answers at BMC");
    }

    @Test
    void aCriticalEventLoggedAfterTheRequestFails() {
        dc.queue().pause(ServerValidationManager.QUEUE, "test", true);
        long id = jobs.submit("r1", dc.server(SERVER), profile()).jobId();
        dc.sim().faults(SERVER).inject(new Fault.CriticalLogEntry("CPU 1 machine check error"));
        dc.queue().resume(ServerValidationManager.QUEUE);

        JobSnapshot job = dc.awaitEnded(id, PATIENCE);

        CheckResult log = checks(job.id()).get("event-log");
        assertThat(log.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(log.observed()).contains("CPU 1 machine check error");
    }

    @Test
    void aCriticalEventOlderThanTheRequestIsNotCounted() {
        dc.sim().faults(SERVER).inject(new Fault.CriticalLogEntry("old power loss"));
        Instant injected = Instant.now();
        // Entries are dated to the second: let the clock leave the injection's second first.
        Conditions.await(Duration.ofSeconds(3), "the next second", () ->
                Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(injected.truncatedTo(ChronoUnit.SECONDS)));

        JobSnapshot job = run(dc.server(SERVER));

        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(checks(job.id()).get("event-log").observed()).contains("none new and Critical");
    }

    @Test
    void aRepairChecksTheReplacedComponent() {
        ServerSpec s = dc.server(SERVER);
        ServerSpec repaired = new ServerSpec(s.serial(), s.assetTag(), s.positionU(), s.bmcAddress(),
                ServerSpec.Reason.REPAIR, new ReplacedComponent(ReplacedComponent.Kind.MEMORY, "DIMM A0"), s.profile(),
                null);

        JobSnapshot healthy = run(repaired);
        dc.sim().faults(SERVER).inject(new Fault.MissingDimm("DIMM A0"));
        JobSnapshot missing = run(repaired);

        assertThat(healthy.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(checks(healthy.id()).get("replaced-component").observed()).isEqualTo("Enabled/OK");
        CheckResult replaced = checks(missing.id()).get("replaced-component");
        assertThat(replaced.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(replaced.expected()).isEqualTo("MEMORY DIMM A0 present and OK");
        assertThat(replaced.observed()).startsWith("Absent/");
    }

    @Test
    void anUnreachableOrSlowBmcIsRetriedUntilItAnswers() {
        dc.sim().faults(SERVER).inject(new Fault.Slow(5_000));
        long id = jobs.submit("r1", dc.server(SERVER), profile()).jobId();

        Conditions.await(PATIENCE, "a failed attempt", () -> dc.queue().get(id).lastError() != null);
        JobSnapshot failedOnce = dc.queue().get(id);
        assertThat(failedOnce.state()).isIn(JobState.READY, JobState.RUNNING);
        assertThat(failedOnce.lastError()).contains("/redfish/v1");
        assertThat(steps(id).get("bmc-reachable").statusCode()).isEqualTo("UNAVAILABLE");
        dc.sim().faults(SERVER).clear();

        JobSnapshot job = dc.awaitEnded(id, PATIENCE);
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.attempt()).isGreaterThan(1);
    }

    private JobSnapshot run(ServerSpec server) {
        return dc.awaitEnded(jobs.submit("r1", server, profile()).jobId(), PATIENCE);
    }

    private static dev.conveyor.rack.HardwareProfile profile() {
        return dc.manifest().profileOf(dc.server(SERVER)).orElseThrow();
    }

    private static Map<String, CheckResult> checks(long jobId) {
        return jobs.get(jobId).checks().stream().collect(Collectors.toMap(CheckResult::name, Function.identity(),
                (a, b) -> b, java.util.LinkedHashMap::new));
    }

    private static Map<String, JobEventRecord> steps(long jobId) {
        List<JobEventRecord> events = dc.queue().events(jobId, 0, 1000);
        return events.stream().filter(e -> e.step() != null)
                .collect(Collectors.toMap(JobEventRecord::step, Function.identity(), (a, b) -> b));
    }
}
