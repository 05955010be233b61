package dev.conveyor.dcsim;

import dev.conveyor.device.Credentials;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a simulated rack until interrupted: {@code java -cp … dev.conveyor.dcsim.DcSim --manifest
 * rack.yaml}. The devices' login comes from the environment (DCSIM_USERNAME, DCSIM_PASSWORD), never
 * from flags, and defaults to admin / dc-sim.
 */
@Command(name = "dc-sim", mixinStandardHelpOptions = true,
        description = "Serves a Redfish BMC per server and an eAPI endpoint per switch of a rack manifest, on 127.0.0.1.")
public final class DcSim implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DcSim.class);

    @Option(names = "--manifest", required = true, description = "rack manifest, YAML or JSON")
    private Path manifest;

    @Option(names = "--admin-port", defaultValue = "0", description = "admin endpoint port (default: any free port)")
    private int adminPort;

    @Option(names = "--write-manifest", description = "write the manifest with the served addresses here")
    private Path servedManifest;

    @Option(names = "--write-certificate", description = "write the devices' certificate (PEM) here, to pin it")
    private Path certificate;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DcSim()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SimOptions options = new SimOptions(credentialsFromEnvironment(), adminPort, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        try (SimulatedRack rack = SimulatedRack.start(ManifestCodec.read(manifest), options)) {
            if (servedManifest != null) {
                write(servedManifest, ManifestCodec.write(rack.servedManifest(), ManifestFormat.of(servedManifest)));
                log.info("Wrote the served manifest to {}", servedManifest);
            }
            if (certificate != null) {
                write(certificate, rack.certificatePem());
                log.info("Wrote the devices' certificate to {}", certificate);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "dc-sim-shutdown"));
            log.info("dc-sim is running; stop it with Ctrl-C");
            stopped.await();
        }
        return 0;
    }

    /** The README's tour writes to {@code data/…} in a fresh clone: the folder is made when missing. */
    private static void write(Path file, String text) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text);
    }

    private static Credentials credentialsFromEnvironment() {
        String username = System.getenv().getOrDefault("DCSIM_USERNAME", SimOptions.DEFAULT_CREDENTIALS.username());
        String password = System.getenv().getOrDefault("DCSIM_PASSWORD", SimOptions.DEFAULT_CREDENTIALS.password());
        return new Credentials(username, password);
    }
}
