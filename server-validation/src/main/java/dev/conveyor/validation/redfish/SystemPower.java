package dev.conveyor.validation.redfish;

import java.util.List;
import java.util.Optional;

/**
 * A {@code ComputerSystem}'s power and boot state, read fresh on every call.
 *
 * @param powerState          {@code PowerState}: On, Off, PoweringOn, PoweringOff, Paused; empty when not reported
 * @param overrideTarget      {@code Boot.BootSourceOverrideTarget}, e.g. None or Pxe
 * @param overrideEnabled     {@code Boot.BootSourceOverrideEnabled}: Disabled, Once or Continuous
 * @param allowedTargets      {@code Boot.BootSourceOverrideTarget@Redfish.AllowableValues}, empty when not stated
 * @param resetTarget         the target of {@code Actions.#ComputerSystem.Reset}, empty when the system offers none
 * @param allowedResetTypes   the action's {@code ResetType@Redfish.AllowableValues}, empty when not stated
 * @param lastResetTime       {@code LastResetTime} (ComputerSystem v1_18 on), empty when not reported
 * @param bootProgress        {@code BootProgress.LastState}, empty when not reported
 */
public record SystemPower(String odataId, String powerState, String overrideTarget, String overrideEnabled,
        List<String> allowedTargets, Optional<String> resetTarget, List<String> allowedResetTypes,
        String lastResetTime, String bootProgress) {
    public SystemPower {
        allowedTargets = List.copyOf(allowedTargets);
        allowedResetTypes = List.copyOf(allowedResetTypes);
    }
}
