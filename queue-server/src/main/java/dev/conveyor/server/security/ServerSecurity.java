package dev.conveyor.server.security;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpsConfigurator;
import dev.conveyor.core.QueueManager;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's security, assembled once at startup: the transport (TLS, mutual TLS, or plaintext
 * when asked for) and the interceptors that authenticate, authorise, keep submitters to their
 * own jobs and rate-limit submissions, and the same for the HTTP port. TLS requires a token file;
 * plaintext without one runs with no authentication at all, for a laptop, and says so loudly.
 */
public final class ServerSecurity {
    private static final Logger log = LoggerFactory.getLogger(ServerSecurity.class);

    /**
     * The HTTP port's endpoints and the roles that may read each when authentication is on: metrics
     * are for operators, probes for any identity (when they are not left open).
     */
    static final Map<String, Set<Role>> HTTP_ENDPOINTS = Map.of(
            "/metrics", EnumSet.of(Role.OPERATOR, Role.ADMIN),
            "/healthz", EnumSet.allOf(Role.class),
            "/readyz", EnumSet.allOf(Role.class));
    /** Probes stay open by default: a kubelet or a load balancer carries no token. */
    public static final Set<String> DEFAULT_OPEN_HTTP = Set.of("/healthz", "/readyz");

    /**
     * @param tls        null for plaintext
     * @param tokenFile  identities and roles; null only with plaintext (then nothing is checked)
     * @param rateLimits submissions per identity
     * @param openHttp   HTTP endpoints served without credentials even with a token file, among
     *                   {@code /metrics}, {@code /healthz} and {@code /readyz}
     */
    public record Settings(TlsOptions tls, Path tokenFile, RateLimits.Settings rateLimits, Set<String> openHttp) {
        public Settings {
            if (tls != null && tokenFile == null) {
                throw new IllegalArgumentException("TLS needs a token file: it names the identities and their roles");
            }
            if (rateLimits == null) {
                throw new IllegalArgumentException("rate limits are required");
            }
            openHttp = openHttp == null ? DEFAULT_OPEN_HTTP : Set.copyOf(openHttp);
            for (String path : openHttp) {
                if (!HTTP_ENDPOINTS.containsKey(path)) {
                    throw new IllegalArgumentException("an endpoint left open must be one of "
                            + HTTP_ENDPOINTS.keySet() + ", was '" + path + "'");
                }
            }
        }

        /** With the probes open and {@code /metrics} guarded. */
        public Settings(TlsOptions tls, Path tokenFile, RateLimits.Settings rateLimits) {
            this(tls, tokenFile, rateLimits, DEFAULT_OPEN_HTTP);
        }

        public static Settings plaintextOpen() {
            return new Settings(null, null, RateLimits.Settings.DEFAULTS);
        }
    }

    private final Settings settings;
    private final TokenFile tokens;
    private final RateLimits rateLimits;

    private ServerSecurity(Settings settings, TokenFile tokens) {
        this.settings = settings;
        this.tokens = tokens;
        this.rateLimits = new RateLimits(settings.rateLimits());
    }

    /** Reads the token file and the key material now, so that a mistake stops startup. */
    public static ServerSecurity load(Settings settings) throws IOException {
        TokenFile tokens = settings.tokenFile() == null ? null : TokenFile.open(settings.tokenFile());
        ServerSecurity security = new ServerSecurity(settings, tokens);
        if (settings.tls() != null) {
            settings.tls().grpcCredentials();
            log.info("TLS on ({}), identities from {}", settings.tls().mutual() ? "mutual: client certificates required"
                    : "server certificate", settings.tokenFile());
        } else if (tokens == null) {
            log.warn("PLAINTEXT and NO AUTHENTICATION (--plaintext without --token-file): anyone who reaches the "
                    + "ports may call every RPC. For a laptop only.");
        } else {
            log.warn("PLAINTEXT (--plaintext): bearer tokens and jobs cross the network unencrypted");
        }
        if (tokens != null) {
            log.info("HTTP endpoints served without credentials: {}", settings.openHttp().isEmpty() ? "none"
                    : settings.openHttp().stream().sorted().toList());
        }
        return security;
    }

    /** A builder listening on {@code address} with this transport security. */
    public NettyServerBuilder serverBuilder(InetSocketAddress address) throws IOException {
        return settings.tls() == null ? NettyServerBuilder.forAddress(address)
                : NettyServerBuilder.forAddress(address, settings.tls().grpcCredentials());
    }

    /**
     * Adds the interceptors to {@code builder}. gRPC runs the last added first, so the order
     * here is the reverse of a call's path: authenticate, authorise, record failures, own jobs,
     * rate limit. Without authentication every call is {@link Identity#ANONYMOUS}'s, and its
     * changes and failures are audited all the same.
     */
    public <T extends ServerBuilder<T>> T intercept(T builder, QueueManager queues) {
        if (tokens == null) {
            return builder.intercept(new FailureAudit(queues)).intercept(AuthInterceptor.anonymous());
        }
        return builder.intercept(rateLimits)
                .intercept(new OwnJobsInterceptor(queues))
                .intercept(new FailureAudit(queues))
                .intercept(new RbacInterceptor(queues))
                .intercept(new AuthInterceptor(tokens));
    }

    /** The per-identity submit rates, for paths that create jobs outside gRPC (the console's rack form). */
    public RateLimits rateLimits() {
        return rateLimits;
    }

    /**
     * The filter that guards the HTTP endpoint {@code path} by role: empty when authentication is
     * off or the endpoint is left open. Paths this class does not know (the console, which logs
     * its users in itself) get none.
     */
    public Optional<Filter> httpGuard(String path) {
        Set<Role> allowed = HTTP_ENDPOINTS.get(path);
        if (tokens == null || allowed == null || settings.openHttp().contains(path)) {
            return Optional.empty();
        }
        return Optional.of(new HttpAuthFilter(tokens, allowed));
    }

    /** Whether both ports speak TLS. */
    public boolean tls() {
        return settings.tls() != null;
    }

    /** For the HTTP port; empty for plaintext. */
    public Optional<HttpsConfigurator> https() throws IOException {
        return settings.tls() == null ? Optional.empty() : Optional.of(settings.tls().httpsConfigurator());
    }

    /** Null when authentication is off. */
    public TokenFile tokens() {
        return tokens;
    }
}
