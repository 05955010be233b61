package dev.conveyor.rack;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What "provision, then validate" does to a server of this profile before validating it.
 *
 * @param firmwareImages where the BMC fetches each component's image, by component ({@code bios},
 *                       {@code bmc}); the component is brought to the profile's baseline version
 * @param biosAttributes BIOS attributes to set, by their names in the vendor's attribute registry
 * @param pxeBoot        boot once from the network after the other steps
 * @param taskTimeoutSeconds  the longest wait for one firmware update task; null for the default (30 minutes)
 * @param resetTimeoutSeconds the longest wait for the server to be On after a reset; null for the default (10 minutes)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Provisioning(Map<String, String> firmwareImages, Map<String, String> biosAttributes, Boolean pxeBoot,
        Integer taskTimeoutSeconds, Integer resetTimeoutSeconds) {
    public Provisioning {
        firmwareImages = Specs.map(firmwareImages);
        biosAttributes = Specs.map(biosAttributes);
    }

    public boolean pxe() {
        return Boolean.TRUE.equals(pxeBoot);
    }
}
