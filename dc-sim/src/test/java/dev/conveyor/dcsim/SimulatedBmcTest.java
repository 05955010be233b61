package dev.conveyor.dcsim;

import static dev.conveyor.dcsim.TestRacks.REPAIRED_SERVER;
import static dev.conveyor.dcsim.TestRacks.SERVER;
import static dev.conveyor.dcsim.TestRacks.redfish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.conveyor.device.Credentials;
import dev.conveyor.device.Exchange;
import dev.conveyor.device.TlsTrust;
import dev.conveyor.validation.redfish.Chassis;
import dev.conveyor.validation.redfish.ComputerSystem;
import dev.conveyor.validation.redfish.Drive;
import dev.conveyor.validation.redfish.EthernetInterface;
import dev.conveyor.validation.redfish.Fan;
import dev.conveyor.validation.redfish.FirmwareComponent;
import dev.conveyor.validation.redfish.Health;
import dev.conveyor.validation.redfish.LogEntry;
import dev.conveyor.validation.redfish.MemoryModule;
import dev.conveyor.validation.redfish.Processor;
import dev.conveyor.validation.redfish.RedfishAuth;
import dev.conveyor.validation.redfish.RedfishClient;
import dev.conveyor.validation.redfish.RedfishConfig;
import dev.conveyor.validation.redfish.RedfishProtocolException;
import dev.conveyor.validation.redfish.RedfishUnavailableException;
import dev.conveyor.validation.redfish.ResourceStatus;
import dev.conveyor.validation.redfish.Temperature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redfish client against a simulated BMC over real HTTPS: the healthy answers, then each fault. */
class SimulatedBmcTest {
    private static final ResourceStatus OK = new ResourceStatus("Enabled", Health.OK);
    private static SimulatedRack rack;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRack() {
        rack = SimulatedRack.start(TestRacks.smallRack(), SimOptions.defaults());
    }

    @AfterAll
    static void stopRack() {
        rack.close();
    }

    @AfterEach
    void clearFaults() {
        rack.clearAllFaults();
    }

    private RedfishClient connect() {
        return RedfishClient.connect(redfish(rack, SERVER), exchanges::add);
    }

    @Test
    void aHealthyBmcReportsTheManifestsProfile() {
        try (RedfishClient client = connect()) {
            ComputerSystem system = single(client.systems());
            assertThat(system.serialNumber()).isEqualTo(SERVER);
            assertThat(system.odataId()).isEqualTo("/redfish/v1/Systems/sys-t1srv0001");
            assertThat(system.processorCount()).isEqualTo(2);
            assertThat(system.processorModel()).isEqualTo("Intel(R) Xeon(R) Silver 4410Y");
            assertThat(system.totalMemoryGiB()).isEqualTo(128);
            assertThat(system.biosVersion()).isEqualTo("2.3.5");

            assertThat(client.processors(system)).extracting(Processor::model, Processor::status)
                    .containsOnly(tuple("Intel(R) Xeon(R) Silver 4410Y", OK)).hasSize(2);
            List<MemoryModule> memory = client.memory(system);
            assertThat(memory.stream().filter(dimm -> dimm.status().present()).mapToLong(MemoryModule::capacityMiB).sum())
                    .isEqualTo(128 * 1024);
            assertThat(memory).filteredOn(dimm -> !dimm.status().present()).hasSize(2);
            assertThat(client.drives(system)).hasSize(2)
                    .allSatisfy(drive -> assertThat(drive.capacityBytes()).isGreaterThanOrEqualTo(480_000_000_000L))
                    .extracting(Drive::status).containsOnly(OK);
            assertThat(client.ethernetInterfaces(system))
                    .extracting(EthernetInterface::speedMbps, EthernetInterface::linkUp)
                    .containsExactly(tuple(OptionalInt.of(25000), true), tuple(OptionalInt.of(10000), true));

            Chassis chassis = single(client.chassis());
            assertThat(client.thermal(chassis).fans()).hasSize(6).extracting(Fan::status).containsOnly(OK);
            assertThat(client.thermal(chassis).temperatures()).hasSize(3).noneMatch(Temperature::atOrAboveCritical);
            assertThat(client.powerSupplies(chassis)).extracting(supply -> supply.name(), supply -> supply.status())
                    .containsExactly(tuple("PSU 1", OK), tuple("PSU 2", OK));
            assertThat(client.firmwareInventory()).extracting(FirmwareComponent::name, FirmwareComponent::version)
                    .contains(tuple("BIOS", "2.3.5"), tuple("BMC", "7.10.30"));
            assertThat(client.logEntries(system)).hasSize(2).noneMatch(LogEntry::critical);
        }
    }

    @Test
    void reportsEachRequestItMadeInOrder() {
        try (RedfishClient client = connect()) {
            client.systems();
        }
        String base = rack.bmcUri(SERVER).toString();

        assertThat(exchanges).extracting(Exchange::summary).hasSize(5).startsWith(
                "GET " + base + "/redfish/v1 → 200",
                "POST " + base + "/redfish/v1/SessionService/Sessions → 201",
                "GET " + base + "/redfish/v1/Systems → 200",
                "GET " + base + "/redfish/v1/Systems/sys-t1srv0001 → 200");
        assertThat(exchanges.getLast().summary()).matches("DELETE " + base + "/redfish/v1/SessionService/Sessions/s\\w+ → 204");
    }

    @Test
    void closingTheClientEndsItsSession() {
        try (RedfishClient client = connect()) {
            client.systems();
            assertThat(rack.openSessions(SERVER)).isEqualTo(1);
        }
        assertThat(rack.openSessions(SERVER)).isZero();
    }

    @Test
    void basicAuthenticationWorksWithoutASession() {
        try (RedfishClient client = RedfishClient.connect(redfish(rack, SERVER).withAuth(RedfishAuth.BASIC), exchanges::add)) {
            assertThat(single(client.systems()).serialNumber()).isEqualTo(SERVER);
        }
        assertThat(exchanges).extracting(Exchange::method).doesNotContain("POST", "DELETE");
    }

    @Test
    void wrongCredentialsArePermanent() {
        var config = redfish(rack, SERVER);
        var wrong = new RedfishConfig(config.baseUri(), new Credentials("admin", "nope"),
                RedfishAuth.SESSION, config.tls(), config.connectTimeout(), config.requestTimeout());

        assertThatThrownBy(() -> RedfishClient.connect(wrong, exchanges::add))
                .isInstanceOfSatisfying(RedfishProtocolException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void certificatesAreVerifiedUnlessSkippingIsAskedFor() {
        var config = redfish(rack, SERVER);
        var unpinned = new RedfishConfig(config.baseUri(), config.credentials(),
                config.auth(), TlsTrust.systemDefault(), config.connectTimeout(), config.requestTimeout());
        var skipping = new RedfishConfig(config.baseUri(), config.credentials(),
                config.auth(), TlsTrust.insecureSkipVerify(), config.connectTimeout(), config.requestTimeout());

        assertThatThrownBy(() -> RedfishClient.connect(unpinned, exchanges::add))
                .isInstanceOfSatisfying(RedfishProtocolException.class, e -> assertThat(e.retryable()).isFalse());
        try (RedfishClient client = RedfishClient.connect(skipping, exchanges::add)) {
            assertThat(client.serviceRoot().product()).isEqualTo("dc-sim BMC");
        }
    }

    @Test
    void aFailedFanReportsCriticalAndStopped() {
        rack.faults(SERVER).inject(new Fault.FailedFan("Fan 3"));

        try (RedfishClient client = connect()) {
            List<Fan> fans = client.thermal(single(client.chassis())).fans();
            assertThat(fans).filteredOn(fan -> fan.name().equals("Fan 3")).singleElement().satisfies(fan -> {
                assertThat(fan.status().health()).isEqualTo(Health.CRITICAL);
                assertThat(fan.reading().getAsDouble()).isZero();
            });
            assertThat(fans).filteredOn(fan -> !fan.name().equals("Fan 3")).extracting(Fan::status).containsOnly(OK);
        }
    }

    @Test
    void aFailedPowerSupplyReportsCritical() {
        rack.faults(SERVER).inject(new Fault.FailedPowerSupply("PSU 2"));

        try (RedfishClient client = connect()) {
            assertThat(client.powerSupplies(single(client.chassis())))
                    .extracting(supply -> supply.name(), supply -> supply.status().health())
                    .containsExactly(tuple("PSU 1", Health.OK), tuple("PSU 2", Health.CRITICAL));
        }
    }

    @Test
    void firmwareBelowTheBaselineShowsInTheInventory() {
        rack.faults(SERVER).inject(new Fault.FirmwareBelowBaseline("BIOS", "2.1.0"));

        try (RedfishClient client = connect()) {
            assertThat(client.firmwareInventory()).extracting(FirmwareComponent::name, FirmwareComponent::version)
                    .contains(tuple("BIOS", "2.1.0"), tuple("BMC", "7.10.30"));
            assertThat(single(client.systems()).biosVersion()).isEqualTo("2.1.0");
        }
    }

    @Test
    void aMissingDimmIsAbsentAndShrinksTheTotal() {
        rack.faults(SERVER).inject(new Fault.MissingDimm("DIMM A3"));

        try (RedfishClient client = connect()) {
            ComputerSystem system = single(client.systems());
            assertThat(system.totalMemoryGiB()).isEqualTo(120);
            assertThat(client.memory(system)).filteredOn(dimm -> dimm.name().equals("DIMM A3")).singleElement()
                    .satisfies(dimm -> assertThat(dimm.status().present()).isFalse());
        }
    }

    @Test
    void aWrongSerialIsReported() {
        rack.faults(SERVER).inject(new Fault.WrongSerial("ZZZ999"));

        try (RedfishClient client = connect()) {
            assertThat(single(client.systems()).serialNumber()).isEqualTo("ZZZ999");
            assertThat(single(client.chassis()).serialNumber()).isEqualTo("ZZZ999");
        }
    }

    @Test
    void anUnreachableBmcRefusesConnectionsUntilCleared() {
        rack.faults(SERVER).inject(new Fault.Unreachable());

        assertThatThrownBy(this::connect).isInstanceOfSatisfying(RedfishUnavailableException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("connection refused");
        });
        assertThat(exchanges.getLast().summary()).endsWith("/redfish/v1 → connection refused");

        rack.faults(SERVER).clear();
        try (RedfishClient client = connect()) {
            assertThat(single(client.systems()).serialNumber()).isEqualTo(SERVER);
        }
    }

    @Test
    void aSlowBmcTimesOutRetryably() {
        rack.faults(SERVER).inject(new Fault.Slow(TestRacks.SLOW_DELAY_MILLIS));
        var config = redfish(rack, SERVER).withTimeouts(TestRacks.TIMEOUT, TestRacks.SHORT_TIMEOUT);

        assertThatThrownBy(() -> RedfishClient.connect(config, exchanges::add))
                .isInstanceOfSatisfying(RedfishUnavailableException.class,
                        e -> assertThat(e.getMessage()).contains("timed out"));
    }

    @Test
    void aFlappingBmcFailsEveryOtherRequestRetryably() {
        rack.faults(SERVER).inject(new Fault.Flapping());
        var config = redfish(rack, SERVER).withAuth(RedfishAuth.BASIC);
        List<String> outcomes = new ArrayList<>();

        for (int i = 0; i < 4; i++) {
            try (RedfishClient client = RedfishClient.connect(config, exchanges::add)) {
                outcomes.add("ok");
            } catch (RedfishUnavailableException e) {
                assertThat(e.getMessage()).contains("HTTP 503");
                outcomes.add("503");
            }
        }

        assertThat(outcomes).containsAnyOf("ok").containsAnyOf("503");
        assertThat(outcomes.get(0)).isNotEqualTo(outcomes.get(1));
        assertThat(outcomes.get(1)).isNotEqualTo(outcomes.get(2));
        assertThat(outcomes.get(2)).isNotEqualTo(outcomes.get(3));
    }

    @Test
    void aCriticalSelEntryIsNewAndDated() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        rack.faults(SERVER).inject(new Fault.CriticalLogEntry("CPU 1 machine check error"));

        try (RedfishClient client = connect()) {
            assertThat(client.logEntries(single(client.systems()))).filteredOn(LogEntry::critical).singleElement()
                    .satisfies(entry -> {
                        assertThat(entry.message()).isEqualTo("CPU 1 machine check error");
                        assertThat(entry.created().orElseThrow().toInstant()).isAfterOrEqualTo(before);
                    });
        }
    }

    @Test
    void faultsAreIsolatedPerDevice() {
        rack.faults(SERVER).inject(new Fault.FailedPowerSupply("PSU 1"));

        try (RedfishClient client = RedfishClient.connect(redfish(rack, REPAIRED_SERVER), exchanges::add)) {
            assertThat(client.powerSupplies(single(client.chassis()))).extracting(supply -> supply.status()).containsOnly(OK);
            assertThat(single(client.systems()).processorModel()).isEqualTo("AMD EPYC 9124");
        }
    }

    @Test
    void switchOnlyFaultsAreRefusedForABmc() {
        assertThatThrownBy(() -> rack.faults(SERVER).inject(new Fault.WrongOsVersion("4.20.0F")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not apply to a BMC");
    }

    private static <T> T single(List<T> values) {
        assertThat(values).hasSize(1);
        return values.getFirst();
    }
}
