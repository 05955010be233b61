package dev.conveyor.server.console;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.dcsim.SimOptions;
import dev.conveyor.dcsim.SimulatedRack;
import dev.conveyor.family.JobFamily;
import dev.conveyor.server.ConveyorNode;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.rack.RackManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What the console tests look at: the test database with the families' tables, dc-sim serving
 * rack r1 (2 switches, 20 servers) on free loopback ports, and a real server on 127.0.0.1 whose
 * in-process workers validate against the simulator, with the console mounted on its HTTP port.
 */
final class ConsoleSite implements AutoCloseable {
    private final Database database;
    private final SimulatedRack sim;
    private final DatacenterWorkers workers;
    private final ConveyorNode node;
    private final Console console;

    private ConsoleSite(Database database, SimulatedRack sim, DatacenterWorkers workers, ConveyorNode node,
            Console console) {
        this.database = database;
        this.sim = sim;
        this.workers = workers;
        this.node = node;
        this.console = console;
    }

    static ConsoleSite start(TestDb db) throws IOException {
        var families = JobFamily.discover();
        Database database = Database.open(db.config().withFamilies(JobFamily.allEntityClasses(families),
                JobFamily.allMigrationLocations(families)));
        SimulatedRack sim = SimulatedRack.start(rackR1(), SimOptions.defaults());
        DatacenterWorkers workers = new DatacenterWorkers(sim);
        ConveyorNode node = ConveyorNode.start(database,
                ConveyorNode.Settings.local().withStatsInterval(Duration.ofMillis(500)), workers);
        return new ConsoleSite(database, sim, workers, node, Console.mount(node, ConsoleAuth.everyoneIsAdmin()));
    }

    /** dc-sim's example rack r1, renamed so that the simulator serves every device on a free port. */
    private static RackManifest rackR1() {
        try (InputStream in = ConsoleSite.class.getClassLoader().getResourceAsStream("examples/rack-r1.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("127.0.0.1:", "sim-");
            return ManifestCodec.parse(yaml, ManifestFormat.YAML);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest a technician would upload: every address is the device's real loopback port. */
    String servedManifestYaml() {
        return ManifestCodec.write(sim.servedManifest(), ManifestFormat.YAML);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + node.httpPort();
    }

    QueueManager queues() {
        return node.queues();
    }


    SimulatedRack sim() {
        return sim;
    }

    DatacenterWorkers workers() {
        return workers;
    }

    @Override
    public void close() {
        try {
            console.close();
            node.close();
        } finally {
            sim.close();
            database.close();
        }
    }
}
