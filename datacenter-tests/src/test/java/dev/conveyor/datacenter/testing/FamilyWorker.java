package dev.conveyor.datacenter.testing;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.QueueManagerConfig;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.family.JobFamily;
import dev.conveyor.tor.job.TorStarterManager;
import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.JobHandler;
import dev.conveyor.worker.OutboundCalls;
import dev.conveyor.worker.OutboundConfig;
import dev.conveyor.worker.WorkerPool;
import dev.conveyor.worker.WorkerPoolConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process that knows the datacenter families only through {@link JobFamily}: it finds
 * them with the ServiceLoader, opens the database with their tables, takes their handlers (which
 * read device credentials from the environment) and serves the datacenter queue until killed.
 * Stands in for the queue server's worker daemon until that discovers families itself.
 *
 * <p>Arguments: the JDBC URL and the database user. Prints {@value #READY} once its pool runs.
 */
public final class FamilyWorker {
    public static final String READY = "family worker ready";

    private FamilyWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        var families = JobFamily.discover();
        Database database = Database.open(DatabaseConfig.of(args[0], args[1], null)
                .withFamilies(JobFamily.allEntityClasses(families), JobFamily.allMigrationLocations(families)));
        QueueManager queue = new QueueManager(database,
                QueueManagerConfig.DEFAULTS.withRetryPolicy(attempt -> Datacenter.RETRY_BACKOFF));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        HandlerContext context = new HandlerContext(queue, database, new OutboundCalls(OutboundConfig.DEFAULTS, meters),
                meters);
        Map<String, JobHandler> handlers = new HashMap<>();
        families.forEach(family -> handlers.putAll(family.handlers(context)));
        WorkerPool pool = WorkerPool.builder(queue, new WorkerPoolConfig(TorStarterManager.QUEUE, 8, 8,
                        Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMillis(200),
                        Duration.ofSeconds(10)))
                .handlers(handlers).meterRegistry(meters).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pool.close();
            database.close();
            stopped.countDown();
        }));
        pool.start();
        System.out.println(READY + ": " + handlers.keySet());
        stopped.await();
    }
}
