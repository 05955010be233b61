package dev.conveyor.tor.driver;

import dev.conveyor.device.Credentials;
import dev.conveyor.device.TlsTrust;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one switch's eAPI.
 *
 * @param endpoint the switch's base URL, {@code https://host[:port]}; requests go to
 *     {@code /command-api} under it
 * @param requestTimeout the longest wait for one response, after connecting
 */
public record EapiConfig(URI endpoint, Credentials credentials, TlsTrust tls, Duration connectTimeout,
        Duration requestTimeout) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public EapiConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (!"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be an https URL with a host: " + endpoint);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** Default timeouts and the JVM's trust store. */
    public static EapiConfig of(URI endpoint, Credentials credentials, TlsTrust tls) {
        return new EapiConfig(endpoint, credentials, tls, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public EapiConfig withTimeouts(Duration connect, Duration request) {
        return new EapiConfig(endpoint, credentials, tls, connect, request);
    }
}
