package dev.conveyor.tor.driver;

import java.util.List;

/**
 * What the TOR starter asks of a switch, independent of how the switch is spoken to (Arista eAPI
 * today; SONiC or gNMI drivers can follow). Each method makes its requests when called and returns
 * what the switch reported, without judging it: comparing against the plan is the caller's job.
 *
 * <p>Every method throws {@link SwitchUnavailableException} (retryable: unreachable, timed out,
 * 5xx), {@link SwitchCommandException} (the switch refused a command) or
 * {@link SwitchProtocolException} (authentication, TLS or response-shape errors); the last two are
 * not worth retrying.
 */
public interface SwitchDriver extends AutoCloseable {
    SwitchFacts facts();

    List<LldpNeighbor> lldpNeighbors();

    /** Fans of the fan trays and of the power supplies. */
    List<FanStatus> fans();

    List<PowerSupplyStatus> powerSupplies();

    List<InterfaceStatus> interfaces();

    /** BGP peers of every VRF. */
    List<BgpPeer> bgpPeers();

    /**
     * Replaces nothing and adds the given configuration lines atomically: they are staged in a
     * named configuration session and committed together, so a refused line leaves the running
     * configuration as it was.
     */
    void pushConfig(String sessionName, List<String> configLines);

    /** Releases the client's resources; no request is made. */
    @Override
    void close();
}
