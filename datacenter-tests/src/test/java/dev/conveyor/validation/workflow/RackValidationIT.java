package dev.conveyor.validation.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.datacenter.testing.Datacenter;
import dev.conveyor.datacenter.testing.RackServer;
import dev.conveyor.datacenter.testing.WorkerProcess;
import dev.conveyor.dcsim.Fault;
import dev.conveyor.proto.v1.DeviceStatus;
import dev.conveyor.proto.v1.FailedCheck;
import dev.conveyor.proto.v1.GetRackStatusRequest;
import dev.conveyor.proto.v1.ManifestText;
import dev.conveyor.proto.v1.RackStatus;
import dev.conveyor.proto.v1.ValidateRackRequest;
import dev.conveyor.proto.v1.ValidateRackResponse;
import dev.conveyor.device.CheckResult;
import dev.conveyor.validation.job.ServerValidationManager;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * The acceptance test of the rack workflow: rack r1 (2 switches, 20 servers) with three faulty
 * servers, validated through gRPC by a worker in a process of its own; the summary names exactly
 * the faulty devices and their failed checks.
 */
@ExtendWith(TestDatabase.class)
class RackValidationIT {
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @Test
    void aRackWithThreeFaultyServersIsSummarisedExactly(TestDb db) throws Exception {
        try (Datacenter dc = Datacenter.start(db); RackServer server = RackServer.start(dc.queue());
                WorkerProcess worker = WorkerProcess.start("rack-r1", db, dc.sim())) {
            dc.sim().faults("R1SRV0005").inject(new Fault.FirmwareBelowBaseline("BIOS", "2.1.0"));
            dc.sim().faults("R1SRV0012").inject(new Fault.MissingDimm("DIMM A3"));
            dc.sim().faults("R1SRV0017").inject(new Fault.FailedFan("Fan 2"));

            ValidateRackResponse created = server.racks().validateRack(ValidateRackRequest.newBuilder()
                    .setManifestText(ManifestText.newBuilder()
                            .setText(ManifestCodec.write(dc.manifest(), ManifestFormat.YAML))
                            .setFormat(dev.conveyor.proto.v1.ManifestFormat.MANIFEST_FORMAT_YAML))
                    .setRequestId("e2e-1").setMaxServersInFlight(4).build());
            assertThat(created.getDevicesCount()).isEqualTo(22);

            JobSnapshot parent = dc.awaitEnded(created.getParentJobId(), PATIENCE);

            // A rack with failed devices fails: its parent ends DEAD naming them; the detail is the device jobs'.
            assertThat(parent.state()).isEqualTo(JobState.DEAD);
            assertThat(parent.lastError()).endsWith("rack r1 FAILED: 3 of 22 devices failed: R1SRV0005, R1SRV0012, R1SRV0017");
            RackReport report = new RackReports(dc.queue()).of(created.getParentJobId());
            assertThat(report.verdict()).isEqualTo(RackVerdict.FAILED);
            assertThat(report.passed()).isEqualTo(19);
            Map<String, DeviceReport> failed = report.devices().stream().filter(d -> !d.passed())
                    .collect(Collectors.toMap(DeviceReport::device, Function.identity()));
            assertThat(failed.keySet()).containsExactlyInAnyOrder("R1SRV0005", "R1SRV0012", "R1SRV0017");
            assertThat(failed.values()).allSatisfy(d -> assertThat(d.state()).isEqualTo(JobState.DEAD));
            assertOnlyCheck(failed.get("R1SRV0005"), "firmware-bios", "≥ 2.3.5", "2.1.0");
            assertOnlyCheck(failed.get("R1SRV0012"), "memory", "512 GiB", "480 GiB in 15 DIMMs");
            assertOnlyCheck(failed.get("R1SRV0017"), "fans", "all OK", "Fan 2 CRITICAL");

            assertThat(maxServersAtOnce(dc, created.getParentJobId())).isEqualTo(4);

            RackStatus status = server.racks().getRackStatus(GetRackStatusRequest.newBuilder().setRackId("r1").build());
            assertThat(status.getParentJobId()).isEqualTo(created.getParentJobId());
            assertThat(status.getPassed()).isEqualTo(19);
            assertThat(status.getFailed()).isEqualTo(3);
            assertThat(status.getVerdict()).isEqualTo(dev.conveyor.proto.v1.RackVerdict.RACK_VERDICT_FAILED);
            assertThat(status.getDevicesList()).extracting(DeviceStatus::getDevice).startsWith("r1-tor-a", "r1-tor-b");
            assertThat(status.getDevicesList()).filteredOn(d -> d.getFailedChecksCount() > 0)
                    .extracting(DeviceStatus::getDevice).containsExactly("R1SRV0005", "R1SRV0012", "R1SRV0017");
            DeviceStatus dimm = status.getDevicesList().stream().filter(d -> d.getDevice().equals("R1SRV0012"))
                    .findFirst().orElseThrow();
            assertThat(dimm.getPositionU()).isEqualTo(14);
            assertThat(dimm.getFailedChecksList()).extracting(FailedCheck::getCheck).containsExactly("memory");

            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new RackCommand()).setOut(new PrintWriter(out));
            assertThat(cli.execute("status", "r1", "--server", server.target())).isEqualTo(5);
            assertThat(out.toString()).contains("rack r1 FAILED (parent job " + created.getParentJobId() + ", DEAD): "
                            + "19 passed, 3 failed, 0 in progress")
                    .containsPattern("R1SRV0005 +server +7 +DEAD +firmware-bios +≥ 2.3.5 +2.1.0");
        }
    }

    /**
     * The most server jobs that were RUNNING at the same time, from the times of their state
     * events (written with the database's clock when a job is claimed and when it ends).
     */
    private static int maxServersAtOnce(Datacenter dc, long parentId) {
        record Edge(Instant at, int delta) {
        }
        List<Edge> edges = new ArrayList<>();
        for (JobSnapshot server : RackReports.children(dc.queue(), parentId)) {
            if (!server.type().equals(ServerValidationManager.TYPE)) {
                continue;
            }
            boolean running = false;
            for (JobEventRecord e : dc.queue().events(server.id(), 0, 1000)) {
                if (JobEventRecord.STATE.equals(e.kind()) && (e.state() == JobState.RUNNING) != running) {
                    running = !running;
                    edges.add(new Edge(e.at(), running ? 1 : -1));
                }
            }
        }
        edges.sort(Comparator.comparing(Edge::at).thenComparingInt(Edge::delta));
        int running = 0;
        int most = 0;
        for (Edge edge : edges) {
            running += edge.delta();
            most = Math.max(most, running);
        }
        return most;
    }

    private static void assertOnlyCheck(DeviceReport device, String check, String expected, String observed) {
        assertThat(device.failedChecks()).hasSize(1);
        CheckResult failed = device.failedChecks().getFirst();
        assertThat(failed.name()).isEqualTo(check);
        assertThat(failed.expected()).isEqualTo(expected);
        assertThat(failed.observed()).isEqualTo(observed);
        assertThat(device.lastError()).contains(check + ":");
    }
}
