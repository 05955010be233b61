package dev.conveyor.rack;

import static dev.conveyor.rack.ManifestValidatorTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
    @Test
    void readsEveryFieldOfAYamlManifest() throws IOException {
        RackManifest manifest = ManifestCodec.parse(resource("manifests/valid.yaml"), ManifestFormat.YAML);

        assertThat(manifest.rackId()).isEqualTo("t1");
        SwitchSpec tor = manifest.switches().getFirst();
        assertThat(tor.hostname()).isEqualTo("t1-tor");
        assertThat(HostAddress.parse(tor.managementAddress()).orElseThrow().httpsUri()).hasToString("https://10.20.0.2");
        assertThat(tor.cabling()).contains(new CablingEntry("Ethernet1", "T1SRV0001", "eth0"));
        assertThat(tor.config().variables()).containsEntry("asn", "65201");
        assertThat(tor.bgpPeers()).containsExactly("10.2.0.0");

        ServerSpec repaired = manifest.servers().get(1);
        assertThat(repaired.reason()).isEqualTo(ServerSpec.Reason.REPAIR);
        assertThat(repaired.replacedComponent())
                .isEqualTo(new ReplacedComponent(ReplacedComponent.Kind.POWER_SUPPLY, "PSU 2"));
        assertThat(manifest.profileOf(repaired).orElseThrow().cpu())
                .isEqualTo(new HardwareProfile.Cpu("AMD EPYC 9124", 1));
        assertThat(manifest.profileOf(manifest.servers().getFirst()).orElseThrow().nics().speedsMbps())
                .containsExactly(25000, 10000);
        assertThat(manifest.switchesCabledTo(repaired)).containsExactly(tor);
    }

    @Test
    void writesAndReadsBackTheSameManifestInBothFormats() throws IOException {
        RackManifest manifest = ManifestCodec.parse(resource("manifests/valid.yaml"), ManifestFormat.YAML);

        for (ManifestFormat format : ManifestFormat.values()) {
            assertThat(ManifestCodec.parse(ManifestCodec.write(manifest, format), format)).isEqualTo(manifest);
        }
    }

    @Test
    void aMisspeltPropertyIsAnErrorWithItsPath() {
        String json = """
                {"rackId": "r1", "servers": [{"serial": "ABC123", "bmcAdress": "10.0.0.1"}]}
                """;

        assertThatThrownBy(() -> ManifestCodec.parse(json, ManifestFormat.JSON))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.problems().getFirst().path()).isEqualTo("servers[0].bmcAdress");
                    assertThat(e.problems().getFirst().message()).contains("Unrecognized field \"bmcAdress\"");
                });
    }

    @Test
    void aWrongTypeIsAnErrorWithItsPathAndLine() {
        String yaml = "rackId: r1\nservers:\n  - serial: ABC123\n    positionU: high\n";

        assertThatThrownBy(() -> ManifestCodec.parse(yaml, ManifestFormat.YAML))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> {
                    assertThat(e.problems().getFirst().path()).isEqualTo("servers[0].positionU");
                    assertThat(e.problems().getFirst().message()).contains("line 4");
                });
    }

    @Test
    void reportsEveryMissingFieldOfASparseEntry() {
        RackManifest sparse = new RackManifest("r1", List.of(), List.of(new ServerSpec(null, null, null, null, null,
                null, null, null)), Map.of());

        assertThat(ManifestValidator.validate(sparse)).extracting(ManifestProblem::path).containsExactly(
                "servers[0].serial", "servers[0].assetTag", "servers[0].positionU", "servers[0].bmcAddress",
                "servers[0].reason", "servers[0].profile");
    }
}
