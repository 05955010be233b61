package dev.conveyor.validation.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.conveyor.device.Credentials;
import dev.conveyor.device.Exchange;
import dev.conveyor.device.TlsTrust;
import java.net.InetAddress;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against DMTF-shaped documents the simulator never emits; see redfish/README.md. */
class RedfishClientStaticTest {
    private StaticRedfishServer bmc;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private RedfishClient client;

    @BeforeEach
    void start() throws Exception {
        bmc = new StaticRedfishServer("redfish/static-bmc.json");
        RedfishConfig config = RedfishConfig.of(bmc.baseUri(), StaticRedfishServer.CREDENTIALS, TlsTrust.pinned(bmc.certificate()))
                .withAuth(RedfishAuth.BASIC);
        client = RedfishClient.connect(config, exchanges::add);
    }

    @AfterEach
    void stop() {
        client.close();
        bmc.close();
    }

    @Test
    void readsTheServiceRootAndIgnoresOemBlocks() {
        assertThat(client.serviceRoot()).isEqualTo(new ServiceRoot(bmc.baseUri().resolve("/redfish/v1"), "1.18.0",
                "92384634-2938-2342-8820-489239905423", "Contoso", "Contoso 3500RX BMC"));
        assertThat(exchanges).extracting(Exchange::summary)
                .containsExactly("GET " + bmc.baseUri() + "/redfish/v1 → 200");
    }

    @Test
    void followsPagedCollections() {
        List<ComputerSystem> systems = client.systems();

        assertThat(systems).extracting(ComputerSystem::id).containsExactly("437XR1138R2", "node-b");
        assertThat(systems.getFirst()).isEqualTo(new ComputerSystem("/redfish/v1/Systems/437XR1138R2", "437XR1138R2",
                "437XR1138R2", "3500RX", "Contoso", "P79 v1.45 (12/06/2017)", new ResourceStatus("Enabled", Health.OK), 2,
                "Multi-Core Intel(R) Xeon(R) processor 7xxx Series", 96));
        assertThat(systems.get(1).status()).isEqualTo(new ResourceStatus("StandbyOffline", Health.WARNING));
        assertThat(bmc.requested()).contains("/redfish/v1/Systems?$skiptoken=1");
    }

    @Test
    void reportsAbsentSlotsAsNotPresent() {
        ComputerSystem system = client.systems().getFirst();

        assertThat(client.processors(system)).extracting(Processor::id, Processor::totalCores, p -> p.status().present())
                .containsExactly(tuple("CPU1", 8, true), tuple("CPU2", 0, false));
        assertThat(client.memory(system)).extracting(MemoryModule::name, MemoryModule::capacityMiB, m -> m.status().present())
                .containsExactly(tuple("DIMM Slot 1", 32768L, true), tuple("DIMM Slot 2", 0L, false));
    }

    @Test
    void fallsBackToSimpleStorageWhenThereIsNoStorage() {
        List<Drive> drives = client.drives(client.systems().getFirst());

        assertThat(drives).extracting(Drive::name, Drive::capacityBytes, Drive::status).containsExactly(
                tuple("SATA Bay 1", 8_000_000_000_000L, new ResourceStatus("Enabled", Health.OK)),
                tuple("SATA Bay 2", 4_000_000_000_000L, new ResourceStatus("Enabled", Health.CRITICAL)),
                tuple("SATA Bay 3", 0L, new ResourceStatus("Absent", Health.UNKNOWN)));
    }

    @Test
    void readsEthernetInterfacesIncludingANullSpeed() {
        assertThat(client.ethernetInterfaces(client.systems().getFirst()))
                .extracting(EthernetInterface::id, EthernetInterface::speedMbps, EthernetInterface::linkUp)
                .containsExactly(tuple("12446A3B0411", OptionalInt.of(25000), true),
                        tuple("12446A3B8890", OptionalInt.empty(), false));
    }

    @Test
    void prefersThermalSubsystemAndReadsThresholdsFromSensors() {
        Chassis chassis = client.chassis().getFirst();

        ThermalReadings thermal = client.thermal(chassis);

        assertThat(thermal.fans()).containsExactly(
                new Fan("Fan Bay 1", OptionalDouble.of(45), "Percent", new ResourceStatus("Enabled", Health.OK)),
                new Fan("Fan Bay 2", OptionalDouble.of(0), "Percent", new ResourceStatus("Enabled", Health.CRITICAL)));
        assertThat(thermal.temperatures()).containsExactly(
                new Temperature("CPU #1 Temperature", OptionalDouble.of(44), OptionalDouble.of(40),
                        new ResourceStatus("Enabled", Health.CRITICAL)),
                new Temperature("Intake", OptionalDouble.of(24.8), OptionalDouble.empty(),
                        new ResourceStatus("Unknown", Health.UNKNOWN)));
        assertThat(thermal.temperatures().getFirst().atOrAboveCritical()).isTrue();
        assertThat(bmc.requested()).doesNotContain("/redfish/v1/Chassis/1U/Thermal");
    }

    @Test
    void readsPowerSuppliesFromPowerSubsystem() {
        assertThat(client.powerSupplies(client.chassis().getFirst())).containsExactly(new PowerSupply("Power Supply Bay 1",
                "RKS-440DC", "29347ZT536", OptionalDouble.of(1600), new ResourceStatus("Enabled", Health.OK)));
    }

    @Test
    void readsTheFirmwareInventory() {
        assertThat(client.firmwareInventory()).containsExactly(
                new FirmwareComponent("BMC", "Contoso BMC Firmware", "1.45.455b66-rev4", true),
                new FirmwareComponent("BIOS", "Contoso BIOS Firmware", "P79 v1.45 (12/06/2017)", false));
    }

    @Test
    void readsInlineLogEntries() {
        assertThat(client.logEntries(client.systems().getFirst())).containsExactly(
                new LogEntry("Log1", "1", "Critical", Optional.of(OffsetDateTime.parse("2012-03-07T14:44:00Z")),
                        "Temperature threshold exceeded", "SEL"),
                new LogEntry("Log1", "2", "OK", Optional.of(OffsetDateTime.parse("2012-03-07T14:45:00+01:00")),
                        "Temperature back to normal", "Event"));
    }

    @Test
    void aMissingResourceIsPermanentAndNamesTheUrl() {
        ComputerSystem nodeB = client.systems().get(1);

        assertThatThrownBy(() -> client.drives(nodeB))
                .isInstanceOfSatisfying(RedfishProtocolException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.uri()).isEqualTo(bmc.baseUri().resolve("/redfish/v1/Systems/node-b/Storage"));
                    assertThat(e.getMessage()).contains("/redfish/v1/Systems/node-b/Storage: HTTP 404: missing");
                });
    }

    @Test
    void aRequiredLinkThatIsMissingIsAShapeError() {
        ComputerSystem nodeB = client.systems().get(1);

        assertThatThrownBy(() -> client.memory(nodeB))
                .isInstanceOfSatisfying(RedfishProtocolException.class, e -> {
                    assertThat(e.uri()).isEqualTo(bmc.baseUri().resolve("/redfish/v1/Systems/node-b"));
                    assertThat(e.getMessage()).endsWith("required link Memory is missing");
                });
    }

    @Test
    void aServerErrorIsRetryable() {
        bmc.failWith("/redfish/v1/UpdateService", 500);

        assertThatThrownBy(() -> client.firmwareInventory())
                .isInstanceOfSatisfying(RedfishUnavailableException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.uri()).isEqualTo(bmc.baseUri().resolve("/redfish/v1/UpdateService"));
                });
        assertThat(exchanges.getLast().summary()).isEqualTo("GET " + bmc.baseUri() + "/redfish/v1/UpdateService → 500");
    }

    @Test
    void wrongCredentialsArePermanent() {
        RedfishConfig config = RedfishConfig.of(bmc.baseUri(), new Credentials("root", "wrong"),
                TlsTrust.pinned(bmc.certificate())).withAuth(RedfishAuth.BASIC);

        assertThatThrownBy(() -> RedfishClient.connect(config, exchange -> {}))
                .isInstanceOfSatisfying(RedfishProtocolException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("check the BMC credentials").doesNotContain("wrong");
                });
    }

    @Test
    void anUntrustedCertificateIsPermanent() {
        RedfishConfig config = RedfishConfig.of(bmc.baseUri(), StaticRedfishServer.CREDENTIALS, TlsTrust.systemDefault())
                .withAuth(RedfishAuth.BASIC);

        assertThatThrownBy(() -> RedfishClient.connect(config, exchange -> {}))
                .isInstanceOfSatisfying(RedfishProtocolException.class,
                        e -> assertThat(e.getMessage()).contains("certificate not trusted"));
    }

    @Test
    void aCertificateForAnotherHostIsReportedAsAHostNameMismatch() throws Exception {
        try (StaticRedfishServer elsewhere = new StaticRedfishServer("redfish/static-bmc.json",
                InetAddress.getByName("127.0.0.2"))) {
            RedfishConfig config = RedfishConfig.of(elsewhere.baseUri(), StaticRedfishServer.CREDENTIALS,
                    TlsTrust.pinned(elsewhere.certificate())).withAuth(RedfishAuth.BASIC);

            assertThatThrownBy(() -> RedfishClient.connect(config, exchange -> {}))
                    .isInstanceOfSatisfying(RedfishProtocolException.class, e -> assertThat(e.getMessage())
                            .contains("certificate does not match the host name 127.0.0.2")
                            .doesNotContain("not trusted"));
        }
    }
}
