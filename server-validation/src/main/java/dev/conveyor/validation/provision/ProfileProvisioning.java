package dev.conveyor.validation.provision;

import dev.conveyor.rack.HardwareProfile;
import dev.conveyor.rack.Provisioning;
import dev.conveyor.rack.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a server of a manifest and its profile's {@code provisioning} block into a provisioning
 * request: each firmware image brings its component (FirmwareInventory {@code BIOS} or {@code BMC})
 * to the profile's baseline version, the BIOS attributes and the PXE boot are taken as they are.
 */
public final class ProfileProvisioning {
    private ProfileProvisioning() {
    }

    /** @return empty when the profile has no provisioning block */
    public static Optional<ProvisionRequest> request(String rackId, ServerSpec server, HardwareProfile profile) {
        Provisioning provisioning = profile.provisioning();
        if (provisioning == null) {
            return Optional.empty();
        }
        List<ProvisionRequest.FirmwareImage> firmware = new ArrayList<>();
        provisioning.firmwareImages().forEach((component, uri) -> firmware.add(new ProvisionRequest.FirmwareImage(
                component.toUpperCase(Locale.ROOT), baseline(profile, component), uri)));
        return Optional.of(new ProvisionRequest(server.serial(), server.bmcAddress(), rackId, firmware,
                provisioning.biosAttributes(), provisioning.pxe() ? Boolean.TRUE : null,
                provisioning.taskTimeoutSeconds(), provisioning.resetTimeoutSeconds()).validate());
    }

    private static String baseline(HardwareProfile profile, String component) {
        return switch (component.toLowerCase(Locale.ROOT)) {
            case "bios" -> profile.firmware().bios();
            case "bmc" -> profile.firmware().bmc();
            default -> throw new IllegalArgumentException("no baseline for component " + component);
        };
    }
}
