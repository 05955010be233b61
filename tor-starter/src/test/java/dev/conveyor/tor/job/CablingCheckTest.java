package dev.conveyor.tor.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.tor.driver.LldpNeighbor;
import java.util.List;
import org.junit.jupiter.api.Test;

class CablingCheckTest {
    private static final List<PlannedCable> PLAN = List.of(
            new PlannedCable("Ethernet1", "srv1", "eth0"),
            new PlannedCable("Ethernet2", "srv2", "eth0"),
            new PlannedCable("Ethernet3", "srv3", "eth0"));

    @Test
    void everyPlannedPortAsPlannedIsOkAndUnplannedPortsAreIgnored() {
        var results = CablingCheck.compare(PLAN, List.of(heard("Ethernet1", "srv1", "eth0"),
                heard("Ethernet2", "srv2", "eth0"), heard("Ethernet3", "srv3", "eth0"), heard("Ethernet9", "x", "y")));

        assertThat(results).extracting(CablingCheck.PortResult::status).containsOnly(UplinkStatus.OK);
    }

    @Test
    void crossedCablesAreSwappedNotWrong() {
        var results = CablingCheck.compare(PLAN, List.of(heard("Ethernet1", "srv2", "eth0"),
                heard("Ethernet2", "srv1", "eth0"), heard("Ethernet3", "srv3", "eth0")));

        assertThat(results).extracting(CablingCheck.PortResult::status)
                .containsExactly(UplinkStatus.SWAPPED, UplinkStatus.SWAPPED, UplinkStatus.OK);
        assertThat(results.getFirst().message()).isEqualTo(
                "cables on Ethernet1 and Ethernet2 are swapped: Ethernet1 sees srv2 eth0, planned for Ethernet2");
    }

    @Test
    void missingWrongDeviceAndWrongPortAreTold() {
        var results = CablingCheck.compare(PLAN, List.of(heard("Ethernet2", "srv9", "eth0"),
                heard("Ethernet3", "srv3", "eth1")));

        assertThat(results).extracting(CablingCheck.PortResult::status)
                .containsExactly(UplinkStatus.MISSING, UplinkStatus.WRONG_DEVICE, UplinkStatus.WRONG_PORT);
        assertThat(results.get(0).message()).isEqualTo("no LLDP neighbor on Ethernet1; expected srv1 eth0");
        assertThat(results.get(1).message()).isEqualTo("Ethernet2 reaches srv9 eth0 instead of srv2 eth0");
        assertThat(results.get(2).message()).isEqualTo("Ethernet3 reaches srv3 eth1 instead of port eth0");
        assertThat(results.get(1).observedDevice()).isEqualTo("srv9");
    }

    @Test
    void aOneWayMismatchIsNotASwap() {
        var results = CablingCheck.compare(PLAN, List.of(heard("Ethernet1", "srv2", "eth0"),
                heard("Ethernet2", "srv2", "eth0"), heard("Ethernet3", "srv3", "eth0")));

        assertThat(results.getFirst().status()).isEqualTo(UplinkStatus.WRONG_DEVICE);
    }

    private static LldpNeighbor heard(String port, String device, String devicePort) {
        return new LldpNeighbor(port, device, devicePort, 120);
    }
}
