package dev.conveyor.server.security;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * How a client (the CLI, a worker daemon) connects to a Conveyor server: TLS trusting a CA file
 * (the JDK's trusted authorities without one), optionally a client certificate for mutual TLS,
 * and optionally a bearer token. The token is read from a file or from {@code CONVEYOR_TOKEN},
 * never from a flag, and sent only in the {@code authorization} header. Plaintext only when asked.
 *
 * @param plaintext  no TLS: for a server started with {@code --plaintext}
 * @param ca         PEM authorities to trust; null for the JDK's defaults
 * @param clientCert PEM client certificate chain, with {@code clientKey}; null without mutual TLS
 * @param clientKey  PEM PKCS#8 private key of {@code clientCert}
 * @param token      the bearer token; null to send none (mutual TLS alone, or an open server)
 */
public record ClientSecurity(boolean plaintext, Path ca, Path clientCert, Path clientKey, String token) {
    public static final String TOKEN_ENV = "CONVEYOR_TOKEN";

    public ClientSecurity {
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
        }
        if (plaintext && (ca != null || clientCert != null)) {
            throw new IllegalArgumentException("plaintext cannot be combined with a CA or a client certificate");
        }
        if (token != null && (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("the bearer token must be printable ASCII without blanks");
        }
    }

    /** Reads the token from {@code tokenFile} when given, else from {@code CONVEYOR_TOKEN} when set. */
    public static String token(Path tokenFile) throws IOException {
        if (tokenFile != null) {
            return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        }
        String env = System.getenv(TOKEN_ENV);
        return env == null || env.isBlank() ? null : env.strip();
    }

    public ChannelCredentials credentials() throws IOException {
        ChannelCredentials transport;
        if (plaintext) {
            transport = InsecureChannelCredentials.create();
        } else {
            TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
            if (ca != null) {
                tls.trustManager(Pem.trustManagers(ca));
            }
            if (clientCert != null) {
                tls.keyManager(Pem.keyManagers(clientCert, clientKey));
            }
            transport = tls.build();
        }
        return token == null ? transport : CompositeChannelCredentials.create(transport, new BearerToken(token));
    }

    @Override
    public String toString() {
        return "ClientSecurity[plaintext=" + plaintext + ", ca=" + ca + ", clientCert=" + clientCert + ", token="
                + (token == null ? "none" : "***") + "]";
    }

    /** Puts {@code authorization: Bearer <token>} on every call. */
    private static final class BearerToken extends CallCredentials {
        private final String token;

        BearerToken(String token) {
            this.token = token;
        }

        @Override
        public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
            try {
                Metadata headers = new Metadata();
                headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
                applier.apply(headers);
            } catch (RuntimeException e) {
                applier.fail(Status.UNAUTHENTICATED.withDescription("cannot attach the bearer token"));
            }
        }
    }
}
