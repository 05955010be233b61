package dev.conveyor.dcsim;

import dev.conveyor.tor.driver.EapiConfig;
import dev.conveyor.device.TlsTrust;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.validation.redfish.RedfishConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Fixtures: the small test rack, and client settings that trust the simulator's certificate. */
final class TestRacks {
    static final String SWITCH = "t1-tor";
    static final String SERVER = "T1SRV0001";
    static final String REPAIRED_SERVER = "T1SRV0002";
    /** Generous: the test machine is shared and can be heavily loaded. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** For the slow-device tests: far below the injected delay. */
    static final Duration SHORT_TIMEOUT = Duration.ofSeconds(1);
    static final long SLOW_DELAY_MILLIS = 30_000;

    private TestRacks() {}

    static RackManifest smallRack() {
        return ManifestCodec.parse(resource("rack-small.yaml"), ManifestFormat.YAML);
    }

    static String resource(String name) {
        try (InputStream in = TestRacks.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static RedfishConfig redfish(SimulatedRack rack, String serial) {
        return RedfishConfig.of(rack.bmcUri(serial), rack.credentials(), TlsTrust.pinned(rack.certificate()))
                .withTimeouts(TIMEOUT, TIMEOUT);
    }

    static EapiConfig eapi(SimulatedRack rack, String hostname) {
        return EapiConfig.of(rack.switchUri(hostname), rack.credentials(), TlsTrust.pinned(rack.certificate()))
                .withTimeouts(TIMEOUT, TIMEOUT);
    }
}
