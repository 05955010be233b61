package dev.conveyor.validation.redfish;

import dev.conveyor.device.Credentials;
import dev.conveyor.device.TlsTrust;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one BMC.
 *
 * @param baseUri {@code https://host[:port]}; the service root is {@code /redfish/v1} under it
 * @param requestTimeout the longest wait for one response after connecting; a slower BMC is
 *     reported unavailable (retryable)
 */
public record RedfishConfig(URI baseUri, Credentials credentials, RedfishAuth auth, TlsTrust tls,
        Duration connectTimeout, Duration requestTimeout) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public RedfishConfig {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (!"https".equals(baseUri.getScheme()) || baseUri.getHost() == null) {
            throw new IllegalArgumentException("baseUri must be an https URL with a host: " + baseUri);
        }
        if (!baseUri.getRawPath().isEmpty() && !"/".equals(baseUri.getRawPath())) {
            throw new IllegalArgumentException("baseUri must have no path; the service root is always /redfish/v1: " + baseUri);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** Session authentication and default timeouts. */
    public static RedfishConfig of(URI baseUri, Credentials credentials, TlsTrust tls) {
        return new RedfishConfig(baseUri, credentials, RedfishAuth.SESSION, tls, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT);
    }

    public RedfishConfig withAuth(RedfishAuth newAuth) {
        return new RedfishConfig(baseUri, credentials, newAuth, tls, connectTimeout, requestTimeout);
    }

    public RedfishConfig withTimeouts(Duration connect, Duration request) {
        return new RedfishConfig(baseUri, credentials, auth, tls, connect, request);
    }
}
