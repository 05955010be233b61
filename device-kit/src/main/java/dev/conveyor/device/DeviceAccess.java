package dev.conveyor.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a family's handlers log in to its devices: credentials, which certificates to trust, and how
 * long to wait. The password never appears in {@link #toString()}.
 */
public record DeviceAccess(Credentials credentials, TlsTrust tls, Duration connectTimeout, Duration requestTimeout) {
    private static final Logger log = LoggerFactory.getLogger(DeviceAccess.class);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public DeviceAccess {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(tls, "tls");
        if (connectTimeout == null || requestTimeout == null || connectTimeout.toMillis() < 1
                || requestTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeouts must be at least 1 ms");
        }
    }

    public static DeviceAccess of(Credentials credentials, TlsTrust tls) {
        return new DeviceAccess(credentials, tls, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Reads {@code <PREFIX>_USERNAME}, the password from the file named by
     * {@code <PREFIX>_PASSWORD_FILE} (secrets come from files, never flags), the certificates to pin
     * from {@code <PREFIX>_CA_FILE} (else the JVM's trust store; {@code <PREFIX>_INSECURE_SKIP_VERIFY=true}
     * accepts any certificate, for labs only), and {@code <PREFIX>_TIMEOUT_SECONDS}.
     *
     * @throws IllegalStateException naming the variable that is missing or wrong
     */
    public static DeviceAccess fromEnvironment(String prefix, Map<String, String> env) {
        String user = require(env, prefix + "_USERNAME");
        String passwordFile = require(env, prefix + "_PASSWORD_FILE");
        String password;
        try {
            password = Files.readString(Path.of(passwordFile)).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + prefix + "_PASSWORD_FILE " + passwordFile, e);
        }
        TlsTrust tls = TlsTrust.systemDefault();
        String ca = env.get(prefix + "_CA_FILE");
        if (ca != null && !ca.isBlank()) {
            try {
                tls = TlsTrust.pinnedFromFile(Path.of(ca));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + prefix + "_CA_FILE " + ca, e);
            }
        } else if ("true".equalsIgnoreCase(env.get(prefix + "_INSECURE_SKIP_VERIFY"))) {
            tls = TlsTrust.insecureSkipVerify();
            // Said once, when the worker builds its handlers: every device of the family is then unauthenticated.
            log.warn("{}_INSECURE_SKIP_VERIFY=true: device certificates are NOT checked, so anything that answers at a "
                    + "device's address is believed (and receives its credentials); use {}_CA_FILE outside a lab",
                    prefix, prefix);
        }
        Duration timeout = DEFAULT_REQUEST_TIMEOUT;
        String seconds = env.get(prefix + "_TIMEOUT_SECONDS");
        if (seconds != null) {
            try {
                timeout = Duration.ofSeconds(Long.parseLong(seconds.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(prefix + "_TIMEOUT_SECONDS must be a whole number, was " + seconds);
            }
        }
        return new DeviceAccess(new Credentials(user, password), tls, DEFAULT_CONNECT_TIMEOUT, timeout);
    }

    /** True when {@code <PREFIX>_USERNAME} is set: the family's handlers can run in this process. */
    public static boolean configured(String prefix, Map<String, String> env) {
        return env.get(prefix + "_USERNAME") != null;
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
