package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpAuthFilterTest {
    @Test
    void anEndpointAnswersOnlyIdentitiesWithOneOfItsRoles(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "ops operator sha256:" + TokenFile.hash("ops-token") + "\n"
                + "sub submitter sha256:" + TokenFile.hash("sub-token") + "\n");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = "up 1".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }).getFilters().add(new HttpAuthFilter(TokenFile.open(file), Set.of(Role.OPERATOR, Role.ADMIN)));
        server.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
            assertThat(get(client, uri, null).statusCode()).isEqualTo(401);
            assertThat(get(client, uri, "Bearer forged").statusCode()).isEqualTo(401);
            HttpResponse<String> denied = get(client, uri, "Bearer sub-token");
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.body()).contains("sub may not read /metrics").doesNotContain("sub-token");
            HttpResponse<String> allowed = get(client, uri, "Bearer ops-token");
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.body()).isEqualTo("up 1");
        } finally {
            server.stop(0);
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
