package dev.conveyor.server.cli;

import dev.conveyor.core.StoreUnavailableException;
import dev.conveyor.core.SubmitLimits;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.core.db.DatabaseHealth;
import dev.conveyor.embedded.EmbeddedDatabaseException;
import dev.conveyor.embedded.EmbeddedHealth;
import dev.conveyor.embedded.EmbeddedMariaDb;
import dev.conveyor.server.AuditRetention;
import dev.conveyor.server.ConveyorNode;
import dev.conveyor.server.Families;
import dev.conveyor.server.InProcessWorkers;
import dev.conveyor.server.console.Console;
import dev.conveyor.server.console.ConsoleAuth;
import dev.conveyor.server.grpc.ConveyorServer;
import dev.conveyor.server.grpc.EventTailer;
import dev.conveyor.server.grpc.PageTokens;
import dev.conveyor.server.metrics.QueueDepthGauges;
import dev.conveyor.server.security.ServerSecurity;
import dev.conveyor.server.security.ServerSecurityOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code conveyor server}: the gRPC API and HTTP endpoints on one database, until SIGTERM. With
 * no database URL it starts the embedded MariaDB, keeping its data under {@code --data-dir}, and
 * runs workers in-process, so that one command gives a working system. It needs TLS (with a token
 * file) or an explicit {@code --plaintext}; a security file it cannot use stops it before anything
 * starts, as a usage error.
 */
@Command(name = "server", description = "Run a Conveyor server until SIGTERM or Ctrl-C.")
final class ServerCommand implements Callable<Integer> {
    static final int DEFAULT_GRPC_PORT = 7070;
    static final int DEFAULT_HTTP_PORT = 7071;
    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    @Mixin
    DbOptions db;

    @Mixin
    ServerSecurityOptions securityOptions;

    @Option(names = "--bind", defaultValue = "${env:CONVEYOR_BIND}",
            description = "Interface to listen on (env CONVEYOR_BIND; default: 0.0.0.0 with a token file, "
                    + "else 127.0.0.1, as nobody is authenticated then).")
    String bind;

    @Option(names = "--grpc-port", defaultValue = "${env:CONVEYOR_GRPC_PORT:-" + DEFAULT_GRPC_PORT + "}",
            description = "gRPC API port (env CONVEYOR_GRPC_PORT; default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--http-port", defaultValue = "${env:CONVEYOR_HTTP_PORT:-" + DEFAULT_HTTP_PORT + "}",
            description = "/metrics, /healthz and /readyz port (env CONVEYOR_HTTP_PORT; default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--max-payload-bytes",
            defaultValue = "${env:CONVEYOR_MAX_PAYLOAD_BYTES:-" + SubmitLimits.DEFAULT_MAX_PAYLOAD_BYTES + "}",
            description = "Largest job payload accepted (env CONVEYOR_MAX_PAYLOAD_BYTES; default: ${DEFAULT-VALUE}).")
    int maxPayloadBytes;

    @Option(names = "--data-dir", defaultValue = "${env:CONVEYOR_DATA_DIR}",
            description = "Where the embedded MariaDB keeps its data, in mariadb/ (env CONVEYOR_DATA_DIR; "
                    + "default: ~/.conveyor). Not under the temporary directory, which the embedded server "
                    + "empties. Unused with --db-url.")
    Path dataDir;

    @Option(names = "--migrate", negatable = true, defaultValue = "${env:CONVEYOR_MIGRATE:-false}",
            description = "Apply pending schema migrations at start (always on for the embedded database).")
    boolean migrate;

    @Option(names = "--workers", negatable = true,
            description = "Run worker pools in this process (default: on with the embedded database, else off).")
    Boolean workers;

    @Option(names = "--worker-queues", paramLabel = "QUEUE[:SLOTS]", split = ",",
            defaultValue = "${env:CONVEYOR_WORKER_QUEUES:-default,datacenter}",
            description = "Queues the in-process workers serve, with their slots "
                    + "(env CONVEYOR_WORKER_QUEUES; default: ${DEFAULT-VALUE}).")
    List<String> workerQueues;

    @Option(names = "--page-token-key-file", paramLabel = "PATH", defaultValue = "${env:CONVEYOR_PAGE_TOKEN_KEY_FILE}",
            description = "At least 32 bytes that sign page tokens; servers behind one address must share it "
                    + "(env CONVEYOR_PAGE_TOKEN_KEY_FILE; default: a random key per server).")
    Path pageTokenKeyFile;

    @Option(names = "--audit-retention", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:CONVEYOR_AUDIT_RETENTION:-400d}",
            description = "How long audit records are kept, 0 for ever; longer than the jobs' retention, so that "
                    + "who did what outlives the jobs (env CONVEYOR_AUDIT_RETENTION; default: ${DEFAULT-VALUE}).")
    Duration auditRetention;

    @Override
    public Integer call() throws Exception {
        ServerSecurity security = securityOptions.load();
        Optional<DatabaseConfig> external = db.config(migrate);
        EmbeddedMariaDb embedded = null;
        DatabaseConfig config;
        if (external.isPresent()) {
            config = external.get();
        } else {
            Path home = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".conveyor");
            Path mariadbDir = home.resolve("mariadb").toAbsolutePath();
            log.info("no --db-url given: starting the embedded MariaDB with its data in {} (kept across restarts)",
                    mariadbDir);
            Files.createDirectories(mariadbDir);
            embedded = startEmbedded(mariadbDir);
            config = Families.withFamilies(DatabaseConfig.of(embedded.jdbcUrl(), EmbeddedMariaDb.USER,
                    embedded.password())).withPoolSize(db.poolSize);
        }
        String address = listenAddress(bind, security.tokens() != null);
        Database database = null;
        ConveyorNode node = null;
        try {
            database = db.open(config);
            node = ConveyorNode.start(database, settings(address), security, inProcessWorkers(external.isEmpty()),
                    embedded == null ? DatabaseHealth.UNWATCHED : healthOf(embedded.health()));
            // The console logs in the token file's identities; without a token file everyone is an admin, as
            // every gRPC caller then is.
            Console.mount(node, ConsoleAuth.of(security.tokens(), security.rateLimits()));
            AuditRetention audit = new AuditRetention(node.queues(), new AuditRetention.Config(auditRetention,
                    AuditRetention.Config.DEFAULT_INTERVAL, AuditRetention.Config.DEFAULT_BATCH_SIZE));
            audit.start();
            Runnable stop = stopper(node, database, embedded);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                audit.close();
                stop.run();
            }, "conveyor-shutdown"));
            log.info("Conveyor server ready: gRPC{} on {}:{}, {} on {}:{} (web console at /console/)",
                    security.tls() ? " (TLS)" : "", address, node.grpcPort(),
                    security.tls() ? "HTTPS" : "HTTP", address, node.httpPort());
            node.awaitTermination();
            return ExitCodes.OK;
        } catch (IOException | RuntimeException e) {
            stopper(node, database, embedded).run();
            throw e;
        }
    }

    /**
     * Where to listen: what {@code --bind} says, else every interface when callers authenticate
     * and loopback when nobody does (open mode: everyone who reaches the port may call every RPC,
     * so by default only this host's users can). An open server bound beyond loopback says so.
     */
    static String listenAddress(String bind, boolean authenticated) {
        if (bind == null || bind.isBlank()) {
            return authenticated ? "0.0.0.0" : "127.0.0.1";
        }
        String address = bind.strip();
        if (!authenticated && !isLoopback(address)) {
            log.warn("listening on {} with NO AUTHENTICATION (no --token-file): anyone who can reach {} may call "
                    + "every RPC, as an admin; bind 127.0.0.1 or give a token file", address, address);
        }
        return address;
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private ConveyorNode.Settings settings(String address) throws IOException {
        PageTokens tokens = pageTokenKeyFile == null ? PageTokens.withRandomKey()
                : new PageTokens(Files.readAllBytes(pageTokenKeyFile));
        ConveyorServer.Settings api = new ConveyorServer.Settings(new SubmitLimits(maxPayloadBytes), tokens,
                EventTailer.Settings.DEFAULTS, ConveyorServer.Settings.DEFAULT_WATCH_BUFFER,
                ConveyorServer.Settings.DEFAULT_SHUTDOWN_GRACE);
        return new ConveyorNode.Settings(address, grpcPort, httpPort, api, QueueDepthGauges.DEFAULT_INTERVAL, workerQueues);
    }

    private InProcessWorkers inProcessWorkers(boolean embeddedDatabase) {
        if (!(workers == null ? embeddedDatabase : workers)) {
            return InProcessWorkers.NONE;
        }
        Optional<InProcessWorkers> found = InProcessWorkers.discover();
        if (found.isEmpty()) {
            log.warn("in-process workers requested, but this build has none: running the API only");
            return InProcessWorkers.NONE;
        }
        log.info("running in-process workers for queues {}", workerQueues);
        return found.get();
    }

    /** The embedded database's own error becomes the server's "store unavailable" (its exit code says so). */
    private static EmbeddedMariaDb startEmbedded(Path dataDir) {
        try {
            return EmbeddedMariaDb.start(dataDir);
        } catch (EmbeddedDatabaseException e) {
            throw new StoreUnavailableException(e.getMessage(), e);
        }
    }

    /** The embedded database's supervisor, read as this server's database health. */
    private static DatabaseHealth healthOf(EmbeddedHealth embedded) {
        return new DatabaseHealth() {
            @Override
            public boolean available() {
                return embedded.available();
            }

            @Override
            public boolean recoverable() {
                return embedded.recoverable();
            }

            @Override
            public String describe() {
                return embedded.describe();
            }
        };
    }

    /** Stops what was started, last first; each part may be null when start failed before it. */
    private static Runnable stopper(ConveyorNode node, Database database, EmbeddedMariaDb embedded) {
        return () -> {
            log.info("shutting down");
            if (node != null) {
                node.close();
            }
            if (database != null) {
                database.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        };
    }
}
