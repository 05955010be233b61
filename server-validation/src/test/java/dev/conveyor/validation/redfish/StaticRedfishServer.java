package dev.conveyor.validation.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.conveyor.device.Credentials;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Serves hand-written Redfish documents over HTTPS on 127.0.0.1, keyed by path (and query), with
 * basic authentication; a path can be made to answer with an error status instead.
 */
final class StaticRedfishServer implements AutoCloseable {
    static final Credentials CREDENTIALS = new Credentials("root", "calvin");
    private static final char[] KEYSTORE_PASSWORD = "test-only".toCharArray();

    private final JsonNode documents;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final HttpsServer server;
    private final X509Certificate certificate;

    StaticRedfishServer(String documentsResource) throws IOException, GeneralSecurityException {
        this(documentsResource, InetAddress.getLoopbackAddress());
    }

    /**
     * Listening on another loopback address ({@code 127.0.0.2}) serves a certificate that does not
     * name the host dialled: it is made for 127.0.0.1 and localhost.
     */
    StaticRedfishServer(String documentsResource, InetAddress bind) throws IOException, GeneralSecurityException {
        try (InputStream in = resource(documentsResource)) {
            documents = new ObjectMapper().readTree(in);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = resource("tls/static-bmc.p12")) {
            store.load(in, KEYSTORE_PASSWORD);
        }
        certificate = (X509Certificate) store.getCertificate("static-bmc");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, KEYSTORE_PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(bind, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUri() {
        return URI.create("https://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    X509Certificate certificate() {
        return certificate;
    }

    void failWith(String path, int status) {
        failures.put(path, status);
    }

    /** Paths requested so far, in order. */
    List<String> requested() {
        return List.copyOf(requested);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String key = uri.getRawQuery() == null ? uri.getPath() : uri.getPath() + "?" + uri.getQuery();
            requested.add(key);
            if (!CREDENTIALS.basicAuthorization().equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{\"error\":{\"code\":\"Base.1.8.NoValidSession\",\"message\":\"login\"}}");
                return;
            }
            Integer failure = failures.get(key);
            JsonNode document = documents.get(key);
            if (failure != null) {
                respond(exchange, failure, "{\"error\":{\"code\":\"Base.1.8.GeneralError\",\"message\":\"injected\"}}");
            } else if (document == null) {
                respond(exchange, 404, "{\"error\":{\"code\":\"Base.1.8.ResourceMissingAtURI\",\"message\":\"missing\"}}");
            } else {
                respond(exchange, 200, document.toString());
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static InputStream resource(String name) {
        return StaticRedfishServer.class.getClassLoader().getResourceAsStream(name);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
