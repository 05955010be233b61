package dev.conveyor.tor.job;

import dev.conveyor.tor.driver.LldpNeighbor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the LLDP neighbors a switch hears with its cabling plan, port by port. Ports the plan
 * does not name are ignored: the plan lists what must be there, not everything that may be.
 */
final class CablingCheck {

    /** The verdict for one planned port. */
    record PortResult(PlannedCable plan, String observedDevice, String observedPort, UplinkStatus status,
            String message) {
        boolean ok() {
            return status == UplinkStatus.OK;
        }
    }

    private CablingCheck() {
    }

    static List<PortResult> compare(List<PlannedCable> plan, List<LldpNeighbor> neighbors) {
        Map<String, LldpNeighbor> heard = new HashMap<>();
        for (LldpNeighbor n : neighbors) {
            heard.putIfAbsent(n.localPort(), n);
        }
        Map<String, PlannedCable> byPort = new HashMap<>();
        plan.forEach(p -> byPort.put(p.localPort(), p));
        List<PortResult> results = new ArrayList<>(plan.size());
        for (PlannedCable p : plan) {
            results.add(judge(p, heard.get(p.localPort()), byPort, heard));
        }
        return results;
    }

    private static PortResult judge(PlannedCable plan, LldpNeighbor seen, Map<String, PlannedCable> byPort,
            Map<String, LldpNeighbor> heard) {
        if (seen == null) {
            return new PortResult(plan, null, null, UplinkStatus.MISSING,
                    "no LLDP neighbor on " + plan.localPort() + "; expected " + endOf(plan));
        }
        String observed = seen.neighborDevice() + " " + seen.neighborPort();
        if (seen.neighborDevice().equals(plan.neighborDevice()) && seen.neighborPort().equals(plan.neighborPort())) {
            return new PortResult(plan, seen.neighborDevice(), seen.neighborPort(), UplinkStatus.OK, "");
        }
        String swappedWith = swappedWith(plan, seen, byPort, heard);
        if (swappedWith != null) {
            return new PortResult(plan, seen.neighborDevice(), seen.neighborPort(), UplinkStatus.SWAPPED,
                    "cables on " + plan.localPort() + " and " + swappedWith + " are swapped: " + plan.localPort()
                            + " sees " + observed + ", planned for " + swappedWith);
        }
        if (seen.neighborDevice().equals(plan.neighborDevice())) {
            return new PortResult(plan, seen.neighborDevice(), seen.neighborPort(), UplinkStatus.WRONG_PORT,
                    plan.localPort() + " reaches " + observed + " instead of port " + plan.neighborPort());
        }
        return new PortResult(plan, seen.neighborDevice(), seen.neighborPort(), UplinkStatus.WRONG_DEVICE,
                plan.localPort() + " reaches " + observed + " instead of " + endOf(plan));
    }

    /** The other planned port whose planned neighbor this port hears, when that port hears ours. */
    private static String swappedWith(PlannedCable plan, LldpNeighbor seen, Map<String, PlannedCable> byPort,
            Map<String, LldpNeighbor> heard) {
        for (PlannedCable other : byPort.values()) {
            if (other == plan || !sameEnd(other, seen)) {
                continue;
            }
            LldpNeighbor otherSeen = heard.get(other.localPort());
            if (otherSeen != null && sameEnd(plan, otherSeen)) {
                return other.localPort();
            }
        }
        return null;
    }

    private static boolean sameEnd(PlannedCable plan, LldpNeighbor seen) {
        return plan.neighborDevice().equals(seen.neighborDevice()) && plan.neighborPort().equals(seen.neighborPort());
    }

    private static String endOf(PlannedCable plan) {
        return plan.neighborDevice() + " " + plan.neighborPort();
    }
}
