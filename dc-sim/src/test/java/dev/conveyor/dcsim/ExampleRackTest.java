package dev.conveyor.dcsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.conveyor.tor.driver.EapiSwitchDriver;
import dev.conveyor.device.ExchangeListener;
import dev.conveyor.tor.driver.LldpNeighbor;
import dev.conveyor.tor.driver.SwitchDriver;
import dev.conveyor.rack.CablingEntry;
import dev.conveyor.rack.HardwareProfile;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.rack.ServerSpec;
import dev.conveyor.rack.SwitchSpec;
import dev.conveyor.validation.redfish.ComputerSystem;
import dev.conveyor.validation.redfish.FirmwareComponent;
import dev.conveyor.validation.redfish.RedfishAuth;
import dev.conveyor.validation.redfish.RedfishClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped example rack is valid, and every device of it, simulated, answers as planned. */
class ExampleRackTest {
    @Test
    void theExampleRackIsValidAndComplete() {
        RackManifest manifest = example();

        assertThat(manifest.switches()).hasSize(2);
        assertThat(manifest.servers()).hasSize(20);
        assertThat(manifest.servers()).allSatisfy(server -> assertThat(manifest.switchesCabledTo(server)).hasSize(2));
    }

    @Test
    void everySimulatedDeviceOfTheExampleRackMatchesTheManifest() {
        // Moved off loopback so the simulator picks free ports rather than the example's fixed ones.
        RackManifest manifest = offLoopback(example());

        try (SimulatedRack rack = SimulatedRack.start(manifest, SimOptions.defaults())) {
            for (SwitchSpec spec : manifest.switches()) {
                try (SwitchDriver driver = EapiSwitchDriver.open(TestRacks.eapi(rack, spec.hostname()), ExchangeListener.NONE)) {
                    assertThat(driver.facts().serialNumber()).isEqualTo(spec.serial());
                    assertThat(driver.facts().osVersion()).isEqualTo(spec.osVersion());
                    assertThat(driver.lldpNeighbors()).extracting(ExampleRackTest::asCable)
                            .containsExactlyElementsOf(spec.cabling());
                }
            }
            for (ServerSpec spec : manifest.servers()) {
                HardwareProfile profile = manifest.profileOf(spec).orElseThrow();
                try (RedfishClient client = RedfishClient.connect(
                        TestRacks.redfish(rack, spec.serial()).withAuth(RedfishAuth.BASIC), ExchangeListener.NONE)) {
                    ComputerSystem system = client.systems().getFirst();
                    assertThat(system.serialNumber()).isEqualTo(spec.serial());
                    assertThat(system.processorCount()).isEqualTo(profile.cpu().count());
                    assertThat(system.totalMemoryGiB()).isEqualTo(profile.memoryGiB().doubleValue());
                    assertThat(client.firmwareInventory()).extracting(FirmwareComponent::name, FirmwareComponent::version)
                            .contains(tuple("BIOS", profile.firmware().bios()));
                }
            }
        }
    }

    private static CablingEntry asCable(LldpNeighbor neighbor) {
        return new CablingEntry(neighbor.localPort(), neighbor.neighborDevice(), neighbor.neighborPort());
    }

    static RackManifest example() {
        return ManifestCodec.parse(TestRacks.resource("examples/rack-r1.yaml"), ManifestFormat.YAML);
    }

    private static RackManifest offLoopback(RackManifest manifest) {
        List<SwitchSpec> switches = manifest.switches().stream()
                .map(s -> new SwitchSpec(s.hostname(), s.managementAddress().replace("127.0.0.1", "10.99.0.1"), s.serial(),
                        s.model(), s.osVersion(), s.role(), s.cabling(), s.config(), s.bgpPeers()))
                .toList();
        List<ServerSpec> servers = manifest.servers().stream()
                .map(s -> new ServerSpec(s.serial(), s.assetTag(), s.positionU(), s.bmcAddress().replace("127.0.0.1", "10.99.0.2"),
                        s.reason(), s.replacedComponent(), s.profile(), s.inlineProfile()))
                .toList();
        return new RackManifest(manifest.rackId(), switches, servers, manifest.profiles());
    }
}
