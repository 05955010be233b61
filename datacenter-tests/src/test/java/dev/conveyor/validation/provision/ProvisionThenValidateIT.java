package dev.conveyor.validation.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.datacenter.testing.Datacenter;
import dev.conveyor.datacenter.testing.ProvisionedRack;
import dev.conveyor.datacenter.testing.RackServer;
import dev.conveyor.dcsim.Fault;
import dev.conveyor.dcsim.ProvisioningTimes;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.server.ConveyorNode;
import dev.conveyor.server.InProcessWorkers;
import dev.conveyor.server.console.Console;
import dev.conveyor.server.console.ConsoleAuth;
import dev.conveyor.validation.provision.ProvisionRequest.FirmwareImage;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.validation.workflow.DeviceKind;
import dev.conveyor.validation.workflow.DeviceReport;
import dev.conveyor.validation.workflow.RackCommand;
import dev.conveyor.validation.workflow.RackReport;
import dev.conveyor.validation.workflow.RackReports;
import dev.conveyor.worker.WorkerPool;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Provisioning through the product's front doors: a {@code server_provision} job submitted with
 * gRPC {@code SubmitJob}; "provision, then validate" asked with {@code conveyor rack validate
 * --provision}, one server of which hangs in its reset; and the console's rack page showing the
 * provisioning jobs and their steps.
 */
@ExtendWith(TestDatabase.class)
class ProvisionThenValidateIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void provisioningThroughGrpcTheCliAndTheConsole(TestDb db, @TempDir Path dir) throws Exception {
        try (Datacenter dc = Datacenter.start(db, ProvisionedRack.rackR1());
                RackServer racks = RackServer.start(dc.queue());
                ConveyorNode node = ConveyorNode.start(dc.database(), ConveyorNode.Settings.local(), InProcessWorkers.NONE);
                Console console = Console.mount(node, ConsoleAuth.everyoneIsAdmin());
                WorkerPool pool = dc.startPool()) {
            dc.sim().provisioningTimes(new ProvisioningTimes(Duration.ofMillis(300), Duration.ofMillis(300)));

            // gRPC: a provisioning service submits the job type directly.
            ProvisionRequest request = new ProvisionRequest("R1SRV0001", dc.server("R1SRV0001").bmcAddress(), "r1",
                    List.of(new FirmwareImage("BIOS", "2.3.5", ProvisionedRack.BIOS_IMAGE)),
                    Map.of("SriovGlobalEnable", "Enabled"), true, 30, ProvisionedRack.RESET_TIMEOUT_SECONDS);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort()).usePlaintext().build();
            long grpcJob;
            try {
                grpcJob = JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .submitJob(SubmitJobRequest.newBuilder().setQueue(ServerProvisionManager.QUEUE)
                                .setType(ServerProvisionManager.TYPE).setContentType("application/json")
                                .setPayload(ByteString.copyFrom(request.toJson())).build())
                        .getJob().getId();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            JobSnapshot provisioned = dc.awaitEnded(grpcJob, PATIENCE);
            assertThat(provisioned.state()).as(provisioned.lastError()).isEqualTo(JobState.SUCCEEDED);
            assertThat(dc.sim().provisioning("R1SRV0001").boots()).containsExactly("Pxe");

            // CLI: provision, then validate two servers; R1SRV0003 hangs in its reset.
            dc.sim().faults("R1SRV0003").inject(new Fault.ResetHangs());
            RackManifest served = dc.manifest();
            RackManifest two = new RackManifest(served.rackId(), served.switches(),
                    served.servers().stream().filter(s -> List.of("R1SRV0002", "R1SRV0003").contains(s.serial()))
                            .toList(), served.profiles());
            Path manifest = Files.writeString(dir.resolve("r1.yaml"), ManifestCodec.write(two, ManifestFormat.YAML));
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new RackCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out));
            assertThat(cli.execute("validate", manifest.toString(), "--provision", "--server", racks.target()))
                    .as(out.toString()).isZero();
            assertThat(out.toString()).contains("provision");

            RackReports reports = new RackReports(dc.queue());
            long parent = reports.latest("r1").parentJobId();
            dc.awaitEnded(parent, PATIENCE);
            RackReport report = reports.of(parent);
            Map<String, DeviceReport> provisioning = report.devices().stream()
                    .filter(d -> d.kind() == DeviceKind.PROVISIONING)
                    .collect(java.util.stream.Collectors.toMap(DeviceReport::device, d -> d));
            Map<String, DeviceReport> servers = report.devices().stream().filter(d -> d.kind() == DeviceKind.SERVER)
                    .collect(java.util.stream.Collectors.toMap(DeviceReport::device, d -> d));
            assertThat(provisioning.get("R1SRV0002").state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(servers.get("R1SRV0002").state()).as(servers.get("R1SRV0002").lastError())
                    .isEqualTo(JobState.SUCCEEDED);
            assertThat(provisioning.get("R1SRV0003").state()).isEqualTo(JobState.DEAD);
            assertThat(provisioning.get("R1SRV0003").failedChecks()).singleElement()
                    .satisfies(c -> assertThat(c.describe()).contains("power-reset", "PoweringOn"));
            assertThat(servers.get("R1SRV0003").state()).isEqualTo(JobState.CANCELLED);
            assertThat(dc.sim().provisioning("R1SRV0002").biosAttributes())
                    .containsAllEntriesOf(ProvisionedRack.BIOS_ATTRIBUTES);

            StringWriter status = new StringWriter();
            new CommandLine(new RackCommand()).setOut(new PrintWriter(status))
                    .execute("status", "r1", "--server", racks.target());
            assertThat(status.toString()).contains("provision", "power-reset");

            // Console: the rack page lists the provisioning jobs; a device page shows their steps.
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + node.httpPort() + "/console/racks/" + parent;
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<h2>Provisioning</h2>", "id=\"provisioning\"",
                    "data-job-id=\"" + provisioning.get("R1SRV0003").jobId() + "\"", "power-reset");
            HttpResponse<String> device = http.send(HttpRequest.newBuilder(URI.create(base + "/devices/"
                    + provisioning.get("R1SRV0002").jobId())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(device.statusCode()).isEqualTo(200);
            assertThat(device.body()).contains("bios-settings", "boot-override", "power-reset", "bios-verify");
        }
    }
}
