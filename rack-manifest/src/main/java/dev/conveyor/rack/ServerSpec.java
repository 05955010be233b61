package dev.conveyor.rack;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A server as racked.
 *
 * @param positionU its lowest rack unit, counted from 1 at the bottom
 * @param bmcAddress {@code host[:port]} of its BMC (Redfish over HTTPS)
 * @param replacedComponent for {@link Reason#REPAIR} only: the part that was replaced
 * @param profile the name of a profile in {@link RackManifest#profiles()}; exclusive with inlineProfile
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerSpec(String serial, String assetTag, Integer positionU, String bmcAddress, Reason reason,
        ReplacedComponent replacedComponent, String profile, HardwareProfile inlineProfile) {
    /** Why the server is being validated. */
    public enum Reason {
        NEW,
        REPAIR
    }
}
