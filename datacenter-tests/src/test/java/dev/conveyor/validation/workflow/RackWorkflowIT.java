package dev.conveyor.validation.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.datacenter.testing.Datacenter;
import dev.conveyor.datacenter.testing.RackServer;
import dev.conveyor.proto.v1.DeviceJob;
import dev.conveyor.proto.v1.DeviceKind;
import dev.conveyor.proto.v1.GetRackStatusRequest;
import dev.conveyor.proto.v1.ManifestText;
import dev.conveyor.proto.v1.ValidateRackRequest;
import dev.conveyor.proto.v1.ValidateRackResponse;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.rack.ServerSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What ValidateRack creates, and what it refuses, through gRPC; no worker runs here. */
@ExtendWith(TestDatabase.class)
class RackWorkflowIT {
    private static Datacenter dc;
    private static RackServer server;
    private static TestDb database;

    @BeforeAll
    static void start(TestDb db) {
        database = db;
        dc = Datacenter.start(db);
        server = RackServer.start(dc.queue());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
        dc.close();
    }

    @Test
    void aBadManifestIsRefusedWithEveryProblemAndCreatesNothing() {
        long jobsBefore = database.queryLong("SELECT COUNT(*) FROM job");
        String yaml = ManifestCodec.write(dc.manifest(), ManifestFormat.YAML)
                .replaceFirst("positionU: 4", "positionU: 3")
                .replaceFirst("profile: storage-dense", "profile: gpu-huge")
                .replaceFirst("bmcAddress: 127.0.0.1:(\\d+)", "bmcAddress: 10.0.0.300")
                .replaceFirst("port: Ethernet2\\b", "port: Ethernet1");

        assertThatThrownBy(() -> validate(yaml, null))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("4 problems",
                            "servers[1].positionU: position U3 is already used at servers[0].positionU",
                            "unknown profile 'gpu-huge'", "10.0.0.300",
                            "switches[0].cabling[3].port: port Ethernet1 is already used");
                });
        assertThat(database.queryLong("SELECT COUNT(*) FROM job")).isEqualTo(jobsBefore);
    }

    @Test
    void aRackBecomesAParentSwitchJobsAndServerJobsThatWaitForTheirSwitches() throws Exception {
        Struct.Builder manifest = Struct.newBuilder();
        JsonFormat.parser().merge(ManifestCodec.write(dc.manifest(), ManifestFormat.JSON), manifest);

        ValidateRackResponse r = server.racks().validateRack(ValidateRackRequest.newBuilder()
                .setManifestStruct(manifest).setMaxServersInFlight(3).build());

        assertThat(r.getRackId()).isEqualTo("r1");
        assertThat(r.getDeduplicated()).isFalse();
        List<Long> switches = r.getDevicesList().stream().filter(d -> d.getKind() == DeviceKind.DEVICE_KIND_SWITCH)
                .map(DeviceJob::getJobId).toList();
        assertThat(r.getDevicesList()).extracting(DeviceJob::getDevice).startsWith("r1-tor-a", "r1-tor-b")
                .hasSize(22);
        assertThat(r.getDevicesList()).filteredOn(d -> d.getKind() == DeviceKind.DEVICE_KIND_SERVER)
                .hasSize(20).allSatisfy(d -> assertThat(d.getDependsOnList()).containsExactlyElementsOf(switches));
        JobSnapshot parent = dc.queue().get(r.getParentJobId());
        assertThat(parent.type()).isEqualTo(RackWorkflow.TYPE);
        assertThat(parent.state()).isEqualTo(JobState.WAITING);
        for (DeviceJob d : r.getDevicesList()) {
            JobSnapshot child = dc.queue().get(d.getJobId());
            assertThat(child.parentId()).isEqualTo(r.getParentJobId());
            if (d.getKind() == DeviceKind.DEVICE_KIND_SERVER) {
                assertThat(child.state()).isEqualTo(JobState.WAITING);
                assertThat(child.concurrencyKey()).isEqualTo("rack:r1");
            } else {
                assertThat(child.state()).isEqualTo(JobState.READY);
                assertThat(dc.queue().dependencies(child.id())).isEmpty();
            }
        }
        assertThat(database.queryLong("SELECT max_running FROM concurrency_key WHERE name = 'rack:r1'")).isEqualTo(3);

        var status = server.racks().getRackStatus(GetRackStatusRequest.newBuilder().setRackId("r1").build());
        assertThat(status.getParentJobId()).isEqualTo(r.getParentJobId());
        assertThat(status.getDevicesList().get(2).getPositionU()).isEqualTo(3);
        assertThat(status.getPassed() + status.getFailed()).isZero();
    }

    @Test
    void aServerThatNamesNoSwitchWaitsForAllOfTheRack() {
        RackManifest m = dc.manifest();
        List<ServerSpec> servers = new ArrayList<>(m.servers());
        ServerSpec first = servers.getFirst();
        servers.set(0, new ServerSpec("R1SRVX001", first.assetTag(), first.positionU(), first.bmcAddress(),
                first.reason(), first.replacedComponent(), first.profile(), first.inlineProfile()));
        RackManifest renamed = new RackManifest("r2", m.switches(), servers, m.profiles());

        ValidateRackResponse r = validate(ManifestCodec.write(renamed, ManifestFormat.YAML), null);

        DeviceJob unnamed = r.getDevicesList().stream().filter(d -> d.getDevice().equals("R1SRVX001")).findFirst()
                .orElseThrow();
        assertThat(unnamed.getDependsOnCount()).isEqualTo(2);
    }

    @Test
    void aRequestIdMakesValidateRackIdempotent() {
        String yaml = ManifestCodec.write(new RackManifest("r3", dc.manifest().switches(), dc.manifest().servers(),
                dc.manifest().profiles()), ManifestFormat.YAML);
        long jobsBefore = database.queryLong("SELECT COUNT(*) FROM job");

        ValidateRackResponse first = validate(yaml, "req-1");
        ValidateRackResponse again = validate(yaml, "req-1");

        assertThat(again.getDeduplicated()).isTrue();
        assertThat(again.getParentJobId()).isEqualTo(first.getParentJobId());
        assertThat(again.getDevicesList()).containsExactlyElementsOf(first.getDevicesList());
        assertThat(database.queryLong("SELECT COUNT(*) FROM job")).isEqualTo(jobsBefore + 23);
        assertThatThrownBy(() -> validate(yaml.replace("osVersion: 4.31.2F", "osVersion: 4.32.0F"), "req-1"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
    }

    @Test
    void anUnknownRackIsNotFound() {
        assertThatThrownBy(() -> server.racks().getRackStatus(GetRackStatusRequest.newBuilder().setRackId("r404").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> server.racks().getRackStatus(GetRackStatusRequest.newBuilder().setRackId("r 1").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    private static ValidateRackResponse validate(String yaml, String requestId) {
        ValidateRackRequest.Builder request = ValidateRackRequest.newBuilder().setManifestText(ManifestText.newBuilder()
                .setText(yaml).setFormat(dev.conveyor.proto.v1.ManifestFormat.MANIFEST_FORMAT_YAML));
        if (requestId != null) {
            request.setRequestId(requestId);
        }
        return server.racks().validateRack(request.build());
    }
}
