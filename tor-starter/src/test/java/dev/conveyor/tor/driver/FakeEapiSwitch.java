package dev.conveyor.tor.driver;

import dev.conveyor.device.Credentials;
import dev.conveyor.device.TlsTrust;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** An HTTPS endpoint on 127.0.0.1 that answers every eAPI request with one canned status and body. */
final class FakeEapiSwitch implements AutoCloseable {
    private static final char[] PASSWORD = "test-only".toCharArray();

    private final HttpsServer server;
    private final X509Certificate certificate;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{}";

    FakeEapiSwitch() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = FakeEapiSwitch.class.getClassLoader().getResourceAsStream("tls/fake-switch.p12")) {
            store.load(in, PASSWORD);
        }
        certificate = (X509Certificate) store.getCertificate("fake-switch");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::handle);
        server.start();
    }

    void answer(int newStatus, String newBody) {
        status = newStatus;
        body = newBody;
    }

    /** Request bodies received so far. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    EapiConfig config() {
        return EapiConfig.of(URI.create("https://127.0.0.1:" + server.getAddress().getPort()),
                new Credentials("admin", "secret"), TlsTrust.pinned(certificate));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            requests.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
