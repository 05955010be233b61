package dev.conveyor.tor.job;

import dev.conveyor.device.CheckResult;
import dev.conveyor.device.CheckStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.datacenter.testing.Datacenter;
import dev.conveyor.dcsim.Fault;
import dev.conveyor.rack.SwitchSpec;
import dev.conveyor.worker.WorkerPool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TOR starter steps against simulated switches over HTTPS, run by a real worker pool. */
@ExtendWith(TestDatabase.class)
class TorStarterIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SWITCH = "r1-tor-a";

    private static Datacenter dc;
    private static WorkerPool pool;
    private static TorStarterManager jobs;

    @BeforeAll
    static void start(TestDb db) {
        dc = Datacenter.start(db);
        jobs = new TorStarterManager(dc.queue());
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
    void aSwitchAsPlannedPassesEveryCheckAndIsConfigured() {
        JobSnapshot job = run(SWITCH);

        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        TorStarterReport report = jobs.get(job.id());
        assertThat(report.checks()).extracting(CheckResult::name).containsExactly("model", "serial", "os-version",
                "fans", "power-supplies", "cabling", "configure", "interfaces-up", "bgp");
        assertThat(report.checks()).allSatisfy(c -> assertThat(c.status()).isEqualTo(CheckStatus.PASS));
        assertThat(report.uplinks()).hasSize(22).allSatisfy(u -> {
            assertThat(u.getStatus()).isEqualTo(UplinkStatus.OK);
            assertThat(u.getObservedDevice()).isEqualTo(u.getExpectedDevice());
            assertThat(u.getObservedPort()).isEqualTo(u.getExpectedPort());
        });
        assertThat(report.fans()).isNotEmpty().allSatisfy(f -> assertThat(f.isOk()).isTrue());
        assertThat(report.powerSupplies()).isNotEmpty().allSatisfy(p -> assertThat(p.isOk()).isTrue());
        assertThat(dc.sim().committedConfig(SWITCH)).contains("hostname r1-tor-a", "router bgp 65101");
        Map<String, JobEventRecord> steps = steps(job.id());
        assertThat(steps.get("reachable").command()).contains("/command-api (show version) → 200");
        assertThat(steps.get("cabling").command()).contains("(show lldp neighbors) → 200");
        assertThat(steps.get("configure").command()).contains("configure session conveyor-" + job.id());
        assertThat(steps.get("bgp").statusCode()).isEqualTo("PASS");
        assertThat(new String(job.result())).contains("\"switch\":\"r1-tor-a\"");
    }

    @Test
    void anOldOsVersionFailsAsUpgradeNeededAndNothingIsPushed() {
        dc.sim().faults(SWITCH).inject(new Fault.WrongOsVersion("4.30.1F"));

        JobSnapshot job = run(SWITCH);

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.lastError()).contains("upgrade needed: 4.30.1F → 4.31.2F");
        Map<String, CheckResult> checks = checks(job.id());
        assertThat(checks.get("os-version")).isEqualTo(CheckResult.fail("os-version", "4.31.2F", "4.30.1F",
                "upgrade needed: 4.30.1F → 4.31.2F"));
        assertThat(checks.get("configure").status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(checks.get("verify").status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(steps(job.id()).get("configure").command()).isNull();
    }

    @Test
    void aFailedFanAndPowerSupplyAreNamed() {
        dc.sim().faults(SWITCH).inject(new Fault.FailedFan("1/1"));
        dc.sim().faults(SWITCH).inject(new Fault.FailedPowerSupply("2"));

        JobSnapshot job = run(SWITCH);

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        Map<String, CheckResult> checks = checks(job.id());
        assertThat(checks.get("fans").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(checks.get("fans").expected()).isEqualTo("all ok");
        assertThat(checks.get("fans").observed()).contains("1/1 failed");
        assertThat(checks.get("power-supplies").observed()).contains("PSU 2 powerLoss");
        assertThat(jobs.get(job.id()).powerSupplies()).filteredOn(p -> !p.isOk()).extracting(TorPowerSupply::getSlot)
                .containsExactly("2");
        assertThat(job.lastError()).contains("fans:", "power-supplies:");
    }

    @Test
    void swappedAndMissingCablesAreReportedPortByPort() {
        dc.sim().faults(SWITCH).inject(new Fault.SwappedCables("Ethernet3", "Ethernet4"));
        dc.sim().faults(SWITCH).inject(new Fault.MissingCable("Ethernet7"));

        JobSnapshot job = run(SWITCH);

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        Map<String, TorUplink> uplinks = jobs.get(job.id()).uplinks().stream()
                .collect(Collectors.toMap(TorUplink::getLocalPort, Function.identity()));
        assertThat(uplinks.get("Ethernet3").getStatus()).isEqualTo(UplinkStatus.SWAPPED);
        assertThat(uplinks.get("Ethernet3").getObservedDevice()).isEqualTo("R1SRV0004");
        assertThat(uplinks.get("Ethernet4").getStatus()).isEqualTo(UplinkStatus.SWAPPED);
        assertThat(uplinks.get("Ethernet7").getStatus()).isEqualTo(UplinkStatus.MISSING);
        assertThat(uplinks.get("Ethernet7").getObservedDevice()).isNull();
        assertThat(uplinks.values()).filteredOn(u -> u.getStatus() == UplinkStatus.OK).hasSize(19);
        CheckResult cabling = checks(job.id()).get("cabling");
        assertThat(cabling.expected()).contains("Ethernet3→R1SRV0003 eth0", "Ethernet7→R1SRV0007 eth0");
        assertThat(cabling.observed()).contains("Ethernet3→R1SRV0004 eth0", "Ethernet7→nothing");
        assertThat(cabling.message()).contains("cables on Ethernet3 and Ethernet4 are swapped");
    }

    @Test
    void theWrongSwitchIsNotCheckedFurther() {
        dc.sim().faults(SWITCH).inject(new Fault.WrongSerial("JPE99999Z99"));

        JobSnapshot job = run(SWITCH);

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        Map<String, CheckResult> checks = checks(job.id());
        assertThat(checks.get("serial").expected()).isEqualTo("JPE21340A70");
        assertThat(checks.get("serial").observed()).isEqualTo("JPE99999Z99");
        assertThat(checks.get("model").status()).isEqualTo(CheckStatus.PASS);
        assertThat(checks.values()).filteredOn(c -> c.status() == CheckStatus.SKIPPED).extracting(CheckResult::name)
                .containsExactlyInAnyOrder("os-version", "fans", "power-supplies", "cabling", "configure", "verify");
    }

    @Test
    void anUnreachableSwitchIsRetriedUntilItAnswers() {
        String other = "r1-tor-b";
        dc.sim().faults(other).inject(new Fault.Unreachable());
        long id = jobs.submit(spec(other)).jobId();

        Conditions.await(PATIENCE, "a failed attempt", () -> dc.queue().get(id).lastError() != null);
        JobSnapshot failedOnce = dc.queue().get(id);
        assertThat(failedOnce.state()).isIn(JobState.READY, JobState.RUNNING);
        assertThat(failedOnce.lastError()).contains("/command-api");
        assertThat(steps(id).get("reachable").statusCode()).isEqualTo("UNAVAILABLE");
        dc.sim().faults(other).clear();

        JobSnapshot job = dc.awaitEnded(id, PATIENCE);
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.attempt()).isGreaterThan(1);
    }

    private JobSnapshot run(String hostname) {
        return dc.awaitEnded(jobs.submit(spec(hostname)).jobId(), PATIENCE);
    }

    private static SwitchJobSpec spec(String hostname) {
        SwitchSpec s = dc.switchSpec(hostname);
        return new SwitchJobSpec("r1", s.hostname(), s.managementAddress(), s.serial(), s.model(), s.osVersion(),
                s.role(), s.cabling().stream().map(c -> new PlannedCable(c.port(), c.neighbor(), c.neighborPort()))
                        .toList(),
                s.config().template(), s.config().variables(), s.bgpPeers());
    }

    private static Map<String, CheckResult> checks(long jobId) {
        return jobs.get(jobId).checks().stream().collect(Collectors.toMap(CheckResult::name, Function.identity()));
    }

    /** The last event of each step. */
    private static Map<String, JobEventRecord> steps(long jobId) {
        List<JobEventRecord> events = dc.queue().events(jobId, 0, 1000);
        return events.stream().filter(e -> e.step() != null)
                .collect(Collectors.toMap(JobEventRecord::step, Function.identity(), (a, b) -> b));
    }
}
