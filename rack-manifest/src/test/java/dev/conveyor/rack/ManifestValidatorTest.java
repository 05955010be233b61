package dev.conveyor.rack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestValidatorTest {
    @Test
    void listsEveryProblemOfABrokenManifestWithItsPath() throws IOException {
        String text = resource("manifests/broken.yaml");

        assertThatThrownBy(() -> ManifestCodec.parse(text, ManifestFormat.YAML))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.problems())
                        .extracting(ManifestProblem::path, ManifestProblem::message)
                        .containsExactly(
                                tuple("profiles.std.memoryGiB", "must be between 1 and 24576, got 0"),
                                tuple("profiles.std.nics.speedsMbps", "needs one speed per NIC: 2 NICs, 1 speeds"),
                                tuple("switches[0].managementAddress",
                                        "not host or host:port (IPv4, DNS name or [IPv6], port 1-65535): 10.0.0.300"),
                                tuple("switches[0].serial",
                                        "must be 3-64 letters, digits, '.', '-' or '_', got 'JPE#1'"),
                                tuple("switches[0].cabling[1].port",
                                        "port Ethernet1 is already used at switches[0].cabling[0].port"),
                                tuple("switches[0].cabling[2].neighborPort",
                                        "cable end R9SRV0001 eth0 is already used at switches[0].cabling[0].neighborPort"),
                                tuple("switches[0].config.variables", "no value for template variable(s) asn"),
                                tuple("servers[1].positionU", "position U10 is already used at servers[0].positionU"),
                                tuple("servers[1].bmcAddress",
                                        "not host or host:port (IPv4, DNS name or [IPv6], port 1-65535): bmc_two:70000"),
                                tuple("servers[1].replacedComponent", "a REPAIR must name the replaced component"),
                                tuple("servers[1].profile", "unknown profile 'gpu-large'; known: std"),
                                tuple("servers[2].serial", "serial R9SRV0001 is already used at servers[0].serial"),
                                tuple("servers[2].assetTag", "is required"),
                                tuple("servers[2].positionU", "must be between 1 and 60, got 61"),
                                tuple("servers[2].bmcAddress", "address 10.0.1.1 is already used at servers[0].bmcAddress")))
                        .hasMessageStartingWith("rack manifest has 15 problems:\n  profiles.std.memoryGiB");
    }

    @Test
    void acceptsAValidManifest() throws IOException {
        RackManifest manifest = ManifestCodec.parse(resource("manifests/valid.yaml"), ManifestFormat.YAML);

        assertThat(ManifestValidator.validate(manifest)).isEmpty();
    }

    @Test
    void firmwareBaselinesInTheVendorsOwnFormatsAreAccepted() throws IOException {
        String valid = resource("manifests/valid.yaml");
        for (String baseline : List.of("P79 v1.40", "U46 v2.90 (10/14/2022)", "2.19.1", "1.45.455b66-rev4",
                "TEE180F-3.20", "A08", "5.10.50.00")) {
            RackManifest manifest = ManifestCodec.parse(valid.replace("bios: \"2.3.5\"", "bios: \"" + baseline + "\""),
                    ManifestFormat.YAML);

            assertThat(manifest.profiles().values()).anySatisfy(p -> assertThat(p.firmware().bios()).isEqualTo(baseline));
        }
    }

    @Test
    void aFirmwareBaselineNoVersionOrderKnowsIsRefusedNamingTheFormats() throws IOException {
        String text = resource("manifests/valid.yaml").replace("bios: \"2.3.5\"", "bios: \"latest please\"");

        assertThatThrownBy(() -> ManifestCodec.parse(text, ManifestFormat.YAML))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.problems())
                        .extracting(ManifestProblem::message).singleElement().asString()
                        .contains("must be a firmware version such as 2.19.1", "P79 v1.45 (12/06/2017)",
                                "got 'latest please'"));
    }

    @Test
    void acceleratorsNeedAKnownTypeAModelAndACount() throws IOException {
        String text = resource("manifests/valid.yaml").replace("firmware: {bios: \"2.3.5\"",
                "accelerators: [{type: FPGA, model: \"Intel Stratix 10\", count: 1}, {type: TPU, count: 0}]\n"
                        + "    firmware: {bios: \"2.3.5\"");

        assertThatThrownBy(() -> ManifestCodec.parse(text, ManifestFormat.YAML))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.problems())
                        .extracting(ManifestProblem::message).containsExactly(
                                "must be one of GPU, FPGA, DSP, Accelerator, OEM (a Redfish ProcessorType other than CPU), got 'TPU'",
                                "is required",
                                "must be between 1 and 16, got 0"));
    }

    @Test
    void anEmptyRackIsAProblem() {
        assertThat(ManifestValidator.validate(new RackManifest("r1", null, null, null)))
                .containsExactly(new ManifestProblem("switches", "a rack needs at least one switch or server"));
    }

    @Test
    void profileAndInlineProfileExcludeEachOther() throws IOException {
        RackManifest valid = ManifestCodec.parse(resource("manifests/valid.yaml"), ManifestFormat.YAML);
        ServerSpec inline = valid.servers().get(1);
        ServerSpec both = new ServerSpec(inline.serial(), inline.assetTag(), inline.positionU(), inline.bmcAddress(),
                inline.reason(), inline.replacedComponent(), "small", inline.inlineProfile());
        ServerSpec newWithPart = new ServerSpec("T1SRV0009", "A-9", 9, "10.20.1.9", ServerSpec.Reason.NEW,
                new ReplacedComponent(ReplacedComponent.Kind.FAN, "Fan 1"), "small", null);

        List<ManifestProblem> problems = ManifestValidator.validate(new RackManifest(valid.rackId(), valid.switches(),
                List.of(valid.servers().get(0), both, newWithPart), valid.profiles()));

        assertThat(problems).containsExactly(
                new ManifestProblem("servers[1].profile", "give either profile or inlineProfile, not both"),
                new ManifestProblem("servers[2].replacedComponent", "only a REPAIR names a replaced component"));
    }

    static String resource(String name) throws IOException {
        try (var in = ManifestValidatorTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
