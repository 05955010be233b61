package dev.conveyor.validation.redfish;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A system's {@code Bios} resource (DSP0268 Bios schema): the attributes in effect, and where
 * changes are staged.
 *
 * @param odataId          the Bios resource
 * @param attributes       {@code Attributes}: what the BIOS runs with now, values as text
 * @param settingsObject   {@code @Redfish.Settings.SettingsObject}: the resource to PATCH, whose
 *                         values the BIOS takes at the next reset; empty when the BMC offers none
 * @param applyTimes       {@code @Redfish.Settings.SupportedApplyTimes}, empty when not stated
 * @param pending          the settings object's {@code Attributes}: changes staged, not yet applied
 */
public record BiosSettings(String odataId, Map<String, String> attributes, Optional<String> settingsObject,
        List<String> applyTimes, Map<String, String> pending) {
    public BiosSettings {
        attributes = Map.copyOf(attributes);
        applyTimes = List.copyOf(applyTimes);
        pending = Map.copyOf(pending);
    }
}
