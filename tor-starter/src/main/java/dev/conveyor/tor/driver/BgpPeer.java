package dev.conveyor.tor.driver;

import java.util.Objects;

/** A BGP peer of one VRF and its session state ("Established", "Active", "Idle", …). */
public record BgpPeer(String vrf, String peerAddress, String remoteAsn, String state) {
    public BgpPeer {
        Objects.requireNonNull(vrf, "vrf");
        Objects.requireNonNull(peerAddress, "peerAddress");
        Objects.requireNonNull(remoteAsn, "remoteAsn");
        Objects.requireNonNull(state, "state");
    }

    public boolean established() {
        return "Established".equals(state);
    }
}
