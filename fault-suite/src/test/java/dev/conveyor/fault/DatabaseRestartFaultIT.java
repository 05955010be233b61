package dev.conveyor.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.embedded.EmbeddedMariaDb;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.FaultProxy;
import dev.conveyor.core.testing.TestDirs;
import dev.conveyor.server.ConveyorNode;
import dev.conveyor.server.InProcessWorkers;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database server stopped and started again in the middle of a run. The test owns an
 * embedded MariaDB (data kept under {@code target/}) behind a proxy, so the restarted server,
 * on a new port, keeps the address the queue server and the worker daemons know. Nobody is
 * restarted or told: they reconnect by themselves. A submission made while the database was away
 * either succeeded, answering with the job stored under its key, or failed with UNAVAILABLE (and
 * may then exist, stored before the answer was lost); the queue holds no other job, and every job
 * that exists completes exactly once.
 */
class DatabaseRestartFaultIT {
    private static final Logger log = LoggerFactory.getLogger(DatabaseRestartFaultIT.class);
    private static final String QUEUE = "fault-db";
    private static final int KEYS = Scale.of(300, 3_000);
    private static final int RESTARTS = Scale.of(1, 3);
    private static final Duration DEADLINE = Duration.ofSeconds(Scale.of(300, 1_500));

    @Test
    void serversAndWorkersRideOutADatabaseRestart() throws Exception {
        Path dataDir = Files.createDirectories(TestDirs.persistent("fault-mariadb-" + System.currentTimeMillis()));
        EmbeddedMariaDb mariadb = EmbeddedMariaDb.start(dataDir);
        FaultProxy proxy = FaultProxy.start(mariadb.port());
        String url = proxy.through(mariadb.jdbcUrl());
        Ledger ledger = new Ledger(url, EmbeddedMariaDb.USER, mariadb.password());
        List<Daemon> daemons = new ArrayList<>();
        Database database = Database.open(DatabaseConfig.of(url, EmbeddedMariaDb.USER, mariadb.password()));
        ConveyorNode node = ConveyorNode.start(database, ConveyorNode.Settings.local(), InProcessWorkers.NONE);
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + node.grpcPort(),
                InsecureChannelCredentials.create()).build();
        ExecutorService clientThread = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 2; i++) {
                daemons.add(Daemon.launch("db-" + i, url, EmbeddedMariaDb.USER, mariadb.password(), "--pool", QUEUE + ":4",
                        "--lease", "5s", "--reaper-interval", "1s", "--idle-poll-max", "200ms",
                        "--handler-stop-grace", "1s"));
            }
            for (Daemon d : daemons) {
                d.awaitRegistered(node.queues());
            }
            KeyedSubmitter client = new KeyedSubmitter(channel, QUEUE, "db", KEYS, false, DEADLINE);
            clientThread.submit(client);
            for (int r = 1; r <= RESTARTS; r++) {
                int target = KEYS * r / (RESTARTS + 1);
                Conditions.await(DEADLINE, target + " submissions attempted before restart " + r,
                        () -> client.attempted() >= target);
                mariadb.close();
                proxy.cutAll();
                log.info("database restart {}/{}: stopped after {} submissions", r, RESTARTS, target);
                mariadb = EmbeddedMariaDb.start(dataDir);
                proxy.retarget(mariadb.port());
            }
            clientThread.shutdown();
            assertThat(clientThread.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(client.unexpected).as("only UNAVAILABLE while the database was away").isEmpty();
            assertThat(client.attempted()).isEqualTo(KEYS);
            assertThat(client.accepted).as("submissions succeed again after the restart").isNotEmpty();

            Set<Long> jobs = new HashSet<>(client.accepted.values());
            assertThat(jobs).as("every accepted key answered with a job of its own").hasSize(client.accepted.size());
            for (Map.Entry<String, Long> accepted : client.accepted.entrySet()) {
                assertThat(ledger.queryLong("SELECT COALESCE(MAX(id), -1) FROM job WHERE queue = ? AND idempotency_key = ?",
                        QUEUE, accepted.getKey())).as("the job stored under " + accepted.getKey() + " is the one answered")
                        .isEqualTo(accepted.getValue());
            }
            // A submission that failed with UNAVAILABLE may have committed before the answer was lost.
            Map<String, Long> refusedButStored = new HashMap<>();
            for (String key : client.unavailable) {
                long id = ledger.queryLong("SELECT COALESCE(MAX(id), 0) FROM job WHERE queue = ? AND idempotency_key = ?",
                        QUEUE, key);
                if (id > 0) {
                    refusedButStored.put(key, id);
                }
            }
            jobs.addAll(refusedButStored.values());
            // No job of the queue but those of the keys: nothing was stored twice, under no key or another's.
            assertThat(ledger.queryLong("SELECT COUNT(*) FROM job WHERE queue = ?", QUEUE)).isEqualTo(jobs.size());
            Conditions.await(DEADLINE, "every stored job finished", () -> {
                try {
                    return ledger.queryLong("SELECT COUNT(*) FROM job WHERE queue = ? AND state <> 'SUCCEEDED'", QUEUE) == 0;
                } catch (SQLException e) {
                    return false;
                }
            });
            ledger.assertExactlyOnce(jobs);
            log.info("{} submissions over {} database restart(s): {} accepted, {} UNAVAILABLE ({} of them stored "
                    + "anyway, once); {}", KEYS, RESTARTS, client.accepted.size(), client.unavailable.size(),
                    refusedButStored.size(), ledger.tally(jobs));
        } finally {
            clientThread.shutdownNow();
            channel.shutdownNow();
            for (Daemon d : daemons) {
                d.close();
            }
            node.close();
            database.close();
            proxy.close();
            mariadb.close();
        }
    }
}
