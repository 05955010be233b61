package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsServer;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.ListQueuesRequest;
import dev.conveyor.proto.v1.ListWorkersRequest;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS handshakes against the real server, with certificates made for the test. */
@ExtendWith(TestDatabase.class)
class TlsIT {
    @TempDir
    Path dir;

    @Test
    void tlsServesClientsThatTrustItsCaAndRefusesPlaintextAndUntrustingClients(TestDb db) throws Exception {
        TestPki pki = TestPki.create(dir, "conveyor-test");
        TestPki.Issued cert = pki.server();
        TlsOptions tls = new TlsOptions(cert.certificate(), cert.key(), null);
        try (SecureServer server = SecureServer.start(db.open(),
                new ServerSecurity.Settings(tls, SecureServer.tokenFile(dir), RateLimits.Settings.DEFAULTS))) {
            ManagedChannel trusting = server.channel(new ClientSecurity(false, pki.caCertificate(), null, null,
                    SecureServer.token(Role.OPERATOR)));
            ManagedChannel plaintext = server.channel(new ClientSecurity(true, null, null, null,
                    SecureServer.token(Role.OPERATOR)));
            ManagedChannel untrusting = server.channel(new ClientSecurity(false, null, null, null,
                    SecureServer.token(Role.OPERATOR)));
            try {
                assertThat(admin(trusting).listQueues(ListQueuesRequest.getDefaultInstance())).isNotNull();
                assertUnavailable(plaintext);
                assertUnavailable(untrusting);
            } finally {
                trusting.shutdownNow();
                plaintext.shutdownNow();
                untrusting.shutdownNow();
            }
        }
    }

    @Test
    void mutualTlsNamesTheCallerByItsCertificateAndRefusesClientsWithoutOne(TestDb db) throws Exception {
        TestPki pki = TestPki.create(dir, "conveyor-test");
        TestPki other = TestPki.create(dir, "someone-else");
        TestPki.Issued cert = pki.server();
        TestPki.Issued worker = pki.client("worker-7");
        TestPki.Issued stranger = pki.client("stranger");
        TestPki.Issued foreign = other.client("worker-7");
        TlsOptions tls = new TlsOptions(cert.certificate(), cert.key(), pki.caCertificate());
        try (SecureServer server = SecureServer.start(db.open(), new ServerSecurity.Settings(tls,
                SecureServer.tokenFile(dir, "worker-7 operator cert"), RateLimits.Settings.DEFAULTS))) {
            ManagedChannel withCert = server.channel(new ClientSecurity(false, pki.caCertificate(),
                    worker.certificate(), worker.key(), null));
            ManagedChannel unmapped = server.channel(new ClientSecurity(false, pki.caCertificate(),
                    stranger.certificate(), stranger.key(), null));
            ManagedChannel foreignCa = server.channel(new ClientSecurity(false, pki.caCertificate(),
                    foreign.certificate(), foreign.key(), null));
            ManagedChannel tokenOnly = server.channel(new ClientSecurity(false, pki.caCertificate(), null, null,
                    SecureServer.token(Role.ADMIN)));
            ManagedChannel plaintext = server.channel(InsecureChannelCredentials.create());
            try {
                assertThat(admin(withCert).listWorkers(ListWorkersRequest.getDefaultInstance())).isNotNull();
                assertThatThrownBy(() -> admin(unmapped).listWorkers(ListWorkersRequest.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                            assertThat(e.getStatus().getDescription()).contains("stranger (no role)");
                        });
                assertUnavailable(foreignCa);
                assertUnavailable(tokenOnly);
                assertUnavailable(plaintext);
            } finally {
                for (ManagedChannel c : new ManagedChannel[] {withCert, unmapped, foreignCa, tokenOnly, plaintext}) {
                    c.shutdownNow();
                }
            }
        }
    }

    @Test
    void theHttpPortServesTheSameCertificate() throws Exception {
        TestPki pki = TestPki.create(dir, "conveyor-test");
        TestPki.Issued cert = pki.server();
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new TlsOptions(cert.certificate(), cert.key(), null).httpsConfigurator());
        https.createContext("/healthz", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        try {
            SSLContext trusting = SSLContext.getInstance("TLS");
            trusting.init(null, Pem.trustManagers(pki.caCertificate()), null);
            URI uri = URI.create("https://localhost:" + https.getAddress().getPort() + "/healthz");
            try (HttpClient client = HttpClient.newBuilder().sslContext(trusting).build()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("ok");
            }
            try (HttpClient client = HttpClient.newHttpClient()) {
                assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLException.class);
            }
        } finally {
            https.stop(0);
        }
    }

    @Test
    void keysMustBePkcs8AndTheErrorNamesTheFileNotItsContent() throws Exception {
        Path key = Files.writeString(dir.resolve("old.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Pem.privateKey(key)).hasMessageContaining("old.key")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt").hasMessageNotContaining("c2VjcmV0");
    }

    private static QueueAdminServiceGrpc.QueueAdminServiceBlockingStub admin(ManagedChannel channel) {
        return QueueAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static void assertUnavailable(ManagedChannel channel) {
        assertThatThrownBy(() -> admin(channel).listQueues(ListQueuesRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
}
