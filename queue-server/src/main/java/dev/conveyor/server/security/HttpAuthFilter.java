package dev.conveyor.server.security;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Guards an HTTP endpoint (such as {@code /metrics}) with the API's identities: a bearer token
 * from the token file, or, over mutual TLS, the client certificate's CN and its {@code cert}
 * line. No credentials or an unknown token: 401; an identity without one of the roles: 403.
 * Add it to a context's filters; an endpoint left open simply has none.
 */
public final class HttpAuthFilter extends Filter {
    private static final String BEARER = "bearer ";

    private final TokenFile tokens;
    private final Set<Role> allowed;

    public HttpAuthFilter(TokenFile tokens, Set<Role> allowed) {
        this.tokens = tokens;
        this.allowed = Set.copyOf(allowed);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Optional<Identity> identity = identify(exchange);
        if (identity.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            refuse(exchange, 401, "credentials required: a bearer token or a client certificate");
            return;
        }
        if (identity.get().roles().stream().noneMatch(allowed::contains)) {
            refuse(exchange, 403, identity.get().name() + " may not read " + exchange.getRequestURI().getPath());
            return;
        }
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "Conveyor identities and roles " + allowed;
    }

    private Optional<Identity> identify(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            return authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? tokens.byToken(authorization.substring(BEARER.length()).strip()) : Optional.empty();
        }
        if (exchange instanceof HttpsExchange https) {
            return commonName(https).flatMap(tokens::byCertificate);
        }
        return Optional.empty();
    }

    private static Optional<String> commonName(HttpsExchange exchange) {
        try {
            Certificate[] chain = exchange.getSSLSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                    if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String cn) {
                        return Optional.of(cn);
                    }
                }
            }
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static void refuse(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
