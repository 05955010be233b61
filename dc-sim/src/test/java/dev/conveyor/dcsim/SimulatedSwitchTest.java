package dev.conveyor.dcsim;

import static dev.conveyor.dcsim.TestRacks.SWITCH;
import static dev.conveyor.dcsim.TestRacks.eapi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.conveyor.rack.ConfigTemplate;
import dev.conveyor.tor.driver.BgpPeer;
import dev.conveyor.device.Credentials;
import dev.conveyor.tor.driver.EapiConfig;
import dev.conveyor.tor.driver.EapiSwitchDriver;
import dev.conveyor.device.Exchange;
import dev.conveyor.tor.driver.FanStatus;
import dev.conveyor.tor.driver.InterfaceStatus;
import dev.conveyor.tor.driver.LldpNeighbor;
import dev.conveyor.tor.driver.PowerSupplyStatus;
import dev.conveyor.tor.driver.SwitchCommandException;
import dev.conveyor.tor.driver.SwitchDriver;
import dev.conveyor.tor.driver.SwitchFacts;
import dev.conveyor.tor.driver.SwitchProtocolException;
import dev.conveyor.tor.driver.SwitchUnavailableException;
import dev.conveyor.rack.CablingEntry;
import dev.conveyor.rack.SwitchSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The eAPI driver against a simulated switch over real HTTPS: the healthy answers, then each fault. */
class SimulatedSwitchTest {
    private static SimulatedRack rack;
    private static SwitchSpec spec;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRack() {
        rack = SimulatedRack.start(TestRacks.smallRack(), SimOptions.defaults());
        spec = rack.servedManifest().switches().getFirst();
    }

    @AfterAll
    static void stopRack() {
        rack.close();
    }

    @AfterEach
    void clearFaults() {
        rack.clearAllFaults();
    }

    private SwitchDriver open() {
        return EapiSwitchDriver.open(eapi(rack, SWITCH), exchanges::add);
    }

    @Test
    void aHealthySwitchMatchesItsPlan() {
        try (SwitchDriver driver = open()) {
            assertThat(driver.facts()).isEqualTo(new SwitchFacts(spec.model(), spec.serial(), spec.osVersion(),
                    driver.facts().systemMac()));
            assertThat(driver.lldpNeighbors()).extracting(n -> new CablingEntry(n.localPort(), n.neighborDevice(), n.neighborPort()))
                    .containsExactlyElementsOf(spec.cabling());
            assertThat(driver.fans()).hasSize(6).allMatch(FanStatus::ok);
            assertThat(driver.powerSupplies()).extracting(PowerSupplyStatus::slot, PowerSupplyStatus::ok)
                    .containsExactly(tuple("1", true), tuple("2", true));
            assertThat(driver.interfaces()).filteredOn(port -> !port.name().equals("Management1"))
                    .extracting(InterfaceStatus::name).containsExactly("Ethernet49/1", "Ethernet1", "Ethernet2");
            assertThat(driver.interfaces()).allMatch(InterfaceStatus::up);
            assertThat(driver.bgpPeers()).containsExactly(new BgpPeer("default", "10.2.0.0", "65000", "Established"));
        }
        assertThat(exchanges.getFirst().summary())
                .isEqualTo("POST " + rack.switchUri(SWITCH) + "/command-api (show version) → 200");
    }

    @Test
    void pushesARenderedConfigurationInOneSession() {
        List<String> lines = ConfigTemplate.parse(spec.config().template()).renderLines(spec.config().variables());

        try (SwitchDriver driver = open()) {
            driver.pushConfig("conveyor-job-42", lines);
        }

        assertThat(rack.committedConfig(SWITCH)).containsExactly("hostname t1-tor", "interface Ethernet49/1",
                "no switchport", "ip address 10.2.0.1/31", "router bgp 65201", "neighbor 10.2.0.0 remote-as 65000");
        assertThat(exchanges).singleElement().extracting(Exchange::note)
                .isEqualTo("configure session conveyor-job-42: 6 lines, commit");
    }

    @Test
    void aRefusedLineNamesTheCommandAndCommitsNothing() {
        try (SwitchDriver driver = open()) {
            driver.pushConfig("first", List.of("hostname t1-tor"));

            assertThatThrownBy(() -> driver.pushConfig("second", List.of("hostname t1-tor", "frobnicate now")))
                    .isInstanceOfSatisfying(SwitchCommandException.class, e -> {
                        assertThat(e.code()).isEqualTo(1002);
                        assertThat(e.command()).isEqualTo("frobnicate now");
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("CLI command 4 of 5 'frobnicate now' failed: invalid command");
                    });
        }
        assertThat(rack.committedConfig(SWITCH)).containsExactly("hostname t1-tor");
    }

    @Test
    void wrongCredentialsArePermanent() {
        EapiConfig config = eapi(rack, SWITCH);
        EapiConfig wrong = new EapiConfig(config.endpoint(), new Credentials("admin", "nope"), config.tls(),
                config.connectTimeout(), config.requestTimeout());

        try (SwitchDriver driver = EapiSwitchDriver.open(wrong, exchanges::add)) {
            assertThatThrownBy(driver::facts).isInstanceOfSatisfying(SwitchProtocolException.class,
                    e -> assertThat(e.getMessage()).contains("HTTP 401").doesNotContain("nope"));
        }
    }

    @Test
    void aFailedFanIsReported() {
        rack.faults(SWITCH).inject(new Fault.FailedFan("2/1"));

        try (SwitchDriver driver = open()) {
            assertThat(driver.fans()).filteredOn(fan -> !fan.ok())
                    .containsExactly(new FanStatus("2", "2/1", "failed"));
        }
    }

    @Test
    void aFailedPowerSupplyIsReported() {
        rack.faults(SWITCH).inject(new Fault.FailedPowerSupply("2"));

        try (SwitchDriver driver = open()) {
            assertThat(driver.powerSupplies()).extracting(PowerSupplyStatus::slot, PowerSupplyStatus::state)
                    .containsExactly(tuple("1", "ok"), tuple("2", "powerLoss"));
        }
    }

    @Test
    void aWrongOsVersionAndSerialAreReported() {
        rack.faults(SWITCH).inject(new Fault.WrongOsVersion("4.28.0F"));
        rack.faults(SWITCH).inject(new Fault.WrongSerial("JPE99999999"));

        try (SwitchDriver driver = open()) {
            assertThat(driver.facts().osVersion()).isEqualTo("4.28.0F");
            assertThat(driver.facts().serialNumber()).isEqualTo("JPE99999999");
        }
    }

    @Test
    void swappedCablesExchangeTheirNeighbors() {
        rack.faults(SWITCH).inject(new Fault.SwappedCables("Ethernet1", "Ethernet2"));

        try (SwitchDriver driver = open()) {
            assertThat(driver.lldpNeighbors()).extracting(LldpNeighbor::localPort, LldpNeighbor::neighborDevice)
                    .containsExactly(tuple("Ethernet49/1", "dc1-spine-1"), tuple("Ethernet1", "T1SRV0002"),
                            tuple("Ethernet2", "T1SRV0001"));
        }
    }

    @Test
    void aMissingCableHasNoNeighborAndNoLink() {
        rack.faults(SWITCH).inject(new Fault.MissingCable("Ethernet2"));

        try (SwitchDriver driver = open()) {
            assertThat(driver.lldpNeighbors()).extracting(LldpNeighbor::localPort).containsExactly("Ethernet49/1", "Ethernet1");
            assertThat(driver.interfaces()).filteredOn(port -> port.name().equals("Ethernet2")).singleElement()
                    .satisfies(port -> {
                        assertThat(port.up()).isFalse();
                        assertThat(port.linkStatus()).isEqualTo("notconnect");
                    });
        }
    }

    @Test
    void anUnreachableSwitchRefusesConnections() {
        rack.faults(SWITCH).inject(new Fault.Unreachable());

        try (SwitchDriver driver = open()) {
            assertThatThrownBy(driver::facts).isInstanceOfSatisfying(SwitchUnavailableException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("connection refused");
            });
        }
    }

    @Test
    void aSlowSwitchTimesOutRetryably() {
        rack.faults(SWITCH).inject(new Fault.Slow(TestRacks.SLOW_DELAY_MILLIS));
        EapiConfig config = eapi(rack, SWITCH).withTimeouts(TestRacks.TIMEOUT, TestRacks.SHORT_TIMEOUT);

        try (SwitchDriver driver = EapiSwitchDriver.open(config, exchanges::add)) {
            assertThatThrownBy(driver::facts).isInstanceOfSatisfying(SwitchUnavailableException.class,
                    e -> assertThat(e.getMessage()).contains("timed out"));
        }
        assertThat(exchanges.getLast().responded()).isFalse();
    }

    @Test
    void aFlappingSwitchFailsEveryOtherRequestRetryably() {
        rack.faults(SWITCH).inject(new Fault.Flapping());
        List<String> outcomes = new ArrayList<>();

        try (SwitchDriver driver = open()) {
            for (int i = 0; i < 4; i++) {
                try {
                    driver.facts();
                    outcomes.add("ok");
                } catch (SwitchUnavailableException e) {
                    assertThat(e.getMessage()).contains("HTTP 503");
                    outcomes.add("503");
                }
            }
        }

        assertThat(outcomes).containsAnyOf("ok").containsAnyOf("503");
        for (int i = 1; i < outcomes.size(); i++) {
            assertThat(outcomes.get(i)).isNotEqualTo(outcomes.get(i - 1));
        }
    }

    @Test
    void bmcOnlyFaultsAreRefusedForASwitch() {
        assertThatThrownBy(() -> rack.faults(SWITCH).inject(new Fault.MissingDimm("DIMM A0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not apply to a switch");
    }
}
