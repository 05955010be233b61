package dev.conveyor.dcsim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.device.ExchangeListener;
import dev.conveyor.device.TlsTrust;
import dev.conveyor.rack.HostAddress;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.validation.redfish.RedfishClient;
import dev.conveyor.validation.redfish.RedfishConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code DcSim} runs as its own process, logs the URLs it serves, and its devices answer. */
class DcSimMainTest {
    @Test
    void runsAsAProgramAndServesTheManifest(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("rack.yaml");
        Files.writeString(manifest, TestRacks.resource("rack-small.yaml"));
        // Folders that do not exist yet, as data/ in a fresh clone (the README's rack tour).
        Path served = dir.resolve("out").resolve("served.yaml");
        Path certificate = dir.resolve("data").resolve("dc-sim.pem");
        String java = System.getenv().getOrDefault("CONVEYOR_TEST_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), DcSim.class.getName(),
                "--manifest", manifest.toString(), "--write-manifest", served.toString(),
                "--write-certificate", certificate.toString())
                .redirectErrorStream(true)
                .start();
        List<String> output = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = Thread.ofVirtual().start(() -> readLines(process, output, running));
        try {
            assertThat(running.await(60, TimeUnit.SECONDS)).as("dc-sim started; output: %s", output).isTrue();

            RackManifest rack = ManifestCodec.read(served);
            String bmcAddress = rack.servers().getFirst().bmcAddress();
            assertThat(output).anyMatch(line -> line.contains("T1SRV0001 at https://" + bmcAddress));
            assertThat(output).anyMatch(line -> line.contains("t1-tor at https://" + rack.switches().getFirst().managementAddress()));
            RedfishConfig config = RedfishConfig.of(HostAddress.parse(bmcAddress).orElseThrow().httpsUri(),
                    SimOptions.DEFAULT_CREDENTIALS, TlsTrust.pinnedFromFile(certificate))
                    .withTimeouts(TestRacks.TIMEOUT, TestRacks.TIMEOUT);
            try (RedfishClient client = RedfishClient.connect(config, ExchangeListener.NONE)) {
                assertThat(client.systems().getFirst().serialNumber()).isEqualTo("T1SRV0001");
            }
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private static void readLines(Process process, List<String> output, CountDownLatch running) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                if (line.contains("dc-sim is running")) {
                    running.countDown();
                }
            }
        } catch (IOException e) {
            output.add("(output ended: " + e.getMessage() + ")");
        }
    }
}
