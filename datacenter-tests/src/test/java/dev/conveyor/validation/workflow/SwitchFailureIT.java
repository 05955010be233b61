package dev.conveyor.validation.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.datacenter.testing.Datacenter;
import dev.conveyor.datacenter.testing.RackServer;
import dev.conveyor.dcsim.Fault;
import dev.conveyor.device.CheckResult;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.worker.WorkerPool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A switch that fails its checks stops the rack's servers from being validated behind it: they are
 * cancelled, and the summary says why. Driven through the {@code conveyor rack} commands.
 */
@ExtendWith(TestDatabase.class)
class SwitchFailureIT {

    @Test
    void serversBehindAFailedSwitchAreCancelledAndTheSummarySaysWhy(TestDb db, @TempDir Path dir) throws Exception {
        try (Datacenter dc = Datacenter.start(db); RackServer server = RackServer.start(dc.queue());
                WorkerPool pool = dc.startPool()) {
            dc.sim().faults("r1-tor-b").inject(new Fault.WrongOsVersion("4.29.0F"));
            Path manifest = Files.writeString(dir.resolve("r1.yaml"), ManifestCodec.write(dc.manifest(), ManifestFormat.YAML));

            StringWriter validateOut = new StringWriter();
            int validated = new CommandLine(new RackCommand()).setOut(new PrintWriter(validateOut))
                    .execute("validate", manifest.toString(), "--server", server.target());

            assertThat(validated).isZero();
            Matcher parentLine = Pattern.compile("rack r1: parent job (\\d+)").matcher(validateOut.toString());
            assertThat(parentLine.find()).as(validateOut.toString()).isTrue();
            long parentId = Long.parseLong(parentLine.group(1));
            assertThat(validateOut.toString()).containsPattern("R1SRV0020 +server +\\d+ +\\[\\d+, \\d+\\]");
            JobSnapshot parent = dc.awaitEnded(parentId, Duration.ofMinutes(2));
            // The parent carries the rack's verdict, so `conveyor watch` on it exits 5 as for any job that ended DEAD.
            assertThat(parent.state()).isEqualTo(JobState.DEAD);
            assertThat(parent.lastError()).contains("rack r1 FAILED: 21 of 22 devices failed: r1-tor-b, R1SRV0001");

            RackReport report = new RackReports(dc.queue()).of(parentId);
            DeviceReport torB = report.devices().stream().filter(d -> d.device().equals("r1-tor-b")).findFirst()
                    .orElseThrow();
            assertThat(torB.state()).isEqualTo(JobState.DEAD);
            assertThat(torB.failedChecks()).extracting(CheckResult::name).containsExactly("os-version");
            assertThat(torB.failedChecks().getFirst().message()).isEqualTo("upgrade needed: 4.29.0F → 4.31.2F");
            assertThat(report.devices()).filteredOn(d -> d.kind() == DeviceKind.SERVER).hasSize(20)
                    .allSatisfy(d -> {
                        assertThat(d.state()).isEqualTo(JobState.CANCELLED);
                        assertThat(d.lastError()).contains(Long.toString(torB.jobId()));
                    });
            assertThat(report.passed()).isEqualTo(1);
            assertThat(report.failed()).isEqualTo(21);
            assertThat(report.verdict()).isEqualTo(RackVerdict.FAILED);
            assertThat(dc.queue().events(parentId, 0, 100)).anySatisfy(e -> {
                assertThat(e.step()).isEqualTo("summary");
                assertThat(e.message()).startsWith("21 of 22 devices failed: r1-tor-b, R1SRV0001");
            });

            StringWriter statusOut = new StringWriter();
            int status = new CommandLine(new RackCommand()).setOut(new PrintWriter(statusOut))
                    .execute("status", "r1", "--server", server.target());
            assertThat(status).as("rack status exits 5 when devices failed").isEqualTo(5);
            assertThat(statusOut.toString()).contains("rack r1 FAILED (parent job " + parentId + ", DEAD): "
                            + "1 passed, 21 failed, 0 in progress")
                    .containsPattern("r1-tor-b +switch +- +DEAD +os-version +4.31.2F +4.29.0F");
        }
    }
}
