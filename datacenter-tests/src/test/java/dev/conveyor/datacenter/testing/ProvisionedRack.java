package dev.conveyor.datacenter.testing;

import dev.conveyor.rack.HardwareProfile;
import dev.conveyor.rack.Provisioning;
import dev.conveyor.rack.RackManifest;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rack r1 whose compute-std profile has a provisioning block: the images, attributes and PXE boot of the tests. */
public final class ProvisionedRack {
    public static final String BIOS_IMAGE = "https://fw.example.test/contoso/bios-2.3.5.bin";
    public static final String BMC_IMAGE = "https://fw.example.test/contoso/bmc-7.10.30.bin";
    public static final Map<String, String> BIOS_ATTRIBUTES = Map.of("SriovGlobalEnable", "Enabled",
            "WorkloadProfile", "VirtualizationOptimizedPerformance");
    /** Short, so that a reset that never completes fails within a test's patience. */
    public static final int RESET_TIMEOUT_SECONDS = 4;

    private ProvisionedRack() {
    }

    public static RackManifest rackR1() {
        RackManifest r1 = Datacenter.rackR1();
        Map<String, HardwareProfile> profiles = new LinkedHashMap<>(r1.profiles());
        HardwareProfile compute = profiles.get("compute-std");
        profiles.put("compute-std", new HardwareProfile(compute.cpu(), compute.memoryGiB(), compute.drives(),
                compute.nics(), compute.firmware(), compute.accelerators(), new Provisioning(Map.of("bios", BIOS_IMAGE, "bmc", BMC_IMAGE),
                        BIOS_ATTRIBUTES, true, 30, RESET_TIMEOUT_SECONDS)));
        return new RackManifest(r1.rackId(), r1.switches(), r1.servers(), profiles);
    }
}
