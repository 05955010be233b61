package dev.conveyor.fault;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.embedded.EmbeddedMariaDb;
import dev.conveyor.core.testing.FaultProxy;
import dev.conveyor.core.testing.TestDirs;
import dev.conveyor.fault.FaultRun.Held;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real processes for the fault scenarios: a MariaDB the test owns (embedded, data under
 * {@code target/}, restartable) behind a proxy that keeps its address across restarts; a
 * {@code conveyor server} (its own JVM) that the gRPC clients submit through; and worker daemons
 * ({@code conveyor worker}, each its own JVM), each connected to the database through a
 * {@link FaultProxy} of its own, each keeping an execution ledger in {@link #ledgerDir}.
 */
final class FaultCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultCluster.class);

    /** One worker daemon and the faulty path between it and the database. */
    record Worker(String name, Daemon daemon, FaultProxy proxy, String owner) {
        @Override
        public String toString() {
            return name + " (pid " + daemon.pid() + ")";
        }
    }

    final String queue;
    final Duration lease;
    final Path ledgerDir;
    final String url;
    final ManagedChannel channel;
    final FaultLoad load;
    final QueueManager queues;
    final ReliabilityChecks checks;
    final List<Worker> workers = new ArrayList<>();
    private final Path dataDir;
    private final FaultProxy dbProxy;
    private final Database database;
    private final ServerProcess server;
    private final List<String> workerFlags;
    private EmbeddedMariaDb mariadb;
    /** The embedded server's root password (from its data directory: the same across restarts). */
    private final String password;
    private int launched;

    private FaultCluster(String name, String queue, Duration lease, int slots) throws IOException {
        this.queue = queue;
        this.lease = lease;
        this.dataDir = Files.createDirectories(TestDirs.persistent(name + "-mariadb-" + System.currentTimeMillis()));
        this.ledgerDir = Files.createDirectories(Path.of("target", "fault-ledger", name + "-" + System.currentTimeMillis()))
                .toAbsolutePath();
        this.mariadb = EmbeddedMariaDb.start(dataDir);
        this.password = mariadb.password();
        this.dbProxy = FaultProxy.start(mariadb.port());
        this.url = dbProxy.through(mariadb.jdbcUrl());
        this.database = Database.open(DatabaseConfig.of(url, EmbeddedMariaDb.USER, password));
        this.queues = new QueueManager(database);
        try {
            CompletionTable.create(url, EmbeddedMariaDb.USER, password);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create " + CompletionTable.NAME, e);
        }
        int port = ServerProcess.freePort();
        this.server = ServerProcess.start(name + "-server", port, url, EmbeddedMariaDb.USER, password);
        this.channel = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create()).build();
        this.load = new FaultLoad(channel, queue);
        this.checks = new ReliabilityChecks(url, EmbeddedMariaDb.USER, password, ledgerDir, lease);
        this.workerFlags = List.of("--pool", queue + ":" + slots, "--lease", lease.toSeconds() + "s",
                "--reaper-interval", "1s", "--idle-poll-max", "200ms", "--shutdown-timeout", "2s",
                "--handler-stop-grace", "1s", "--prefetch", "0");
    }

    /** Starts everything and waits until {@code workers} daemons have registered. */
    static FaultCluster start(String name, String queue, int workers, int slots, Duration lease) throws Exception {
        FaultCluster cluster = new FaultCluster(name, queue, lease, slots);
        try {
            List<Worker> started = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                started.add(cluster.launch(name));
            }
            for (Worker w : started) {
                cluster.awaitRegistered(w);
            }
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private Worker launch(String name) throws IOException {
        String workerName = name + "-worker-" + launched++;
        FaultProxy proxy = FaultProxy.start(dbProxy.port());
        // Plaintext, so that the proxy can see which statement the worker sends (markers of the
        // mid-claim, mid-heartbeat and mid-completion faults); the embedded server offers TLS.
        Daemon daemon = Daemon.launch(workerName, List.of("-D" + ExecutionLog.DIR_PROPERTY + "=" + ledgerDir),
                proxy.through(url) + (url.contains("?") ? "&" : "?") + "sslMode=DISABLED", EmbeddedMariaDb.USER, password,
                workerFlags.toArray(String[]::new));
        Worker w = new Worker(workerName, daemon, proxy, null);
        workers.add(w);
        return w;
    }

    private void awaitRegistered(Worker w) {
        w.daemon().awaitRegistered(queues);
        workers.set(workers.indexOf(w), new Worker(w.name(), w.daemon(), w.proxy(), w.daemon().owner(queue)));
    }

    /** A new worker in place of a dead one, registered. */
    Worker replace(Worker dead, String name) throws IOException {
        workers.remove(dead);
        dead.proxy().close();
        Worker w = launch(name);
        awaitRegistered(w);
        return workers.get(workers.size() - 1);
    }

    /**
     * The leases {@code w} holds now, with when each could expire at the latest: its expiry in the
     * database, moved onto this machine's clock by the time left until it (no clock comparison).
     */
    Map<Long, Held> leasesOf(Worker w) throws SQLException {
        Map<Long, Held> held = new HashMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT id, lease_epoch, TIMESTAMPDIFF(MICROSECOND, NOW(6), lease_expires_at)
                FROM job WHERE state = 'RUNNING' AND lease_owner = ?""")) {
            ps.setString(1, w.owner());
            Instant now = Instant.now();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.put(rs.getLong(1), new Held(rs.getLong(2), now.plusNanos(rs.getLong(3) * 1000)));
                }
            }
        }
        return held;
    }

    /** How many jobs of the queue {@code w} leases right now. */
    int leaseCount(Worker w) {
        try {
            return leasesOf(w).size();
        } catch (SQLException e) {
            return 0;
        }
    }

    /**
     * READY jobs that stay row-locked by someone across two looks {@code gap} apart: no healthy
     * claim holds its locks that long, so these are pinned by a transaction nobody will finish.
     */
    Set<Long> pinnedReady(Duration gap) throws SQLException, InterruptedException {
        Set<Long> first = lockedReady();
        Thread.sleep(gap.toMillis()); // the gap between the two looks is the measurement itself
        Set<Long> second = lockedReady();
        first.retainAll(second);
        return first;
    }

    private Set<Long> lockedReady() throws SQLException {
        Set<Long> all = new HashSet<>();
        Set<Long> free = new HashSet<>();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM job WHERE queue = ? AND state = 'READY'")) {
                ps.setString(1, queue);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM job WHERE queue = ? AND state = 'READY' FOR UPDATE SKIP LOCKED")) {
                ps.setString(1, queue);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        free.add(rs.getLong(1));
                    }
                }
            }
            c.rollback();
        }
        all.removeAll(free);
        return all;
    }

    /** Stops the database server and starts it again on the same data; everyone's address stays the proxy's. */
    void restartDatabase() {
        mariadb.close();
        dbProxy.cutAll();
        mariadb = EmbeddedMariaDb.start(dataDir);
        dbProxy.retarget(mariadb.port());
        log.info("database restarted, now on port {}", mariadb.port());
    }

    /** Every path passes, every stopped worker runs: the end of any scenario, whatever happened in it. */
    void healAll() {
        for (Worker w : workers) {
            w.proxy().pass();
            if (w.daemon().alive()) {
                try {
                    w.daemon().resume();
                } catch (IOException | InterruptedException | AssertionError e) {
                    log.warn("could not resume {}: {}", w, e.toString());
                }
            }
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedMariaDb.USER, password);
    }

    @Override
    public void close() {
        healAll();
        for (Worker w : workers) {
            try {
                w.daemon().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            w.proxy().close();
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (database != null) {
            database.close();
        }
        dbProxy.close();
        mariadb.close();
    }
}
