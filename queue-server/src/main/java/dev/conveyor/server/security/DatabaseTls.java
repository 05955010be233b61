package dev.conveyor.server.security;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * TLS to the database through Connector/J's own properties ({@code sslMode}, the trust store of
 * the server's CA), added to the JDBC URL. The trust store's password comes from a file.
 * {@code DatabaseConfig} masks it in every URL it prints. A picocli mixin.
 */
public final class DatabaseTls {
    private static final Set<String> MODES = Set.of("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY");

    @Option(names = "--db-ssl-mode", paramLabel = "MODE", defaultValue = "${env:CONVEYOR_DB_SSL_MODE}",
            description = "Connector/J sslMode: DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY "
                    + "(env CONVEYOR_DB_SSL_MODE; default: the driver's, PREFERRED).")
    String mode;

    @Option(names = "--db-trust-store", paramLabel = "PATH", defaultValue = "${env:CONVEYOR_DB_TRUST_STORE}",
            description = "PKCS#12 or JKS trust store holding the database server's CA (env CONVEYOR_DB_TRUST_STORE).")
    Path trustStore;

    @Option(names = "--db-trust-store-password-file", paramLabel = "PATH",
            defaultValue = "${env:CONVEYOR_DB_TRUST_STORE_PASSWORD_FILE}",
            description = "A file holding the trust store's password (env CONVEYOR_DB_TRUST_STORE_PASSWORD_FILE).")
    Path trustStorePasswordFile;

    /** {@code jdbcUrl} with the TLS properties added; unchanged when none is set. */
    public String apply(String jdbcUrl) throws IOException {
        StringBuilder url = new StringBuilder(jdbcUrl);
        if (mode != null && !mode.isBlank()) {
            String upper = mode.strip().toUpperCase(Locale.ROOT);
            if (!MODES.contains(upper)) {
                throw new IllegalArgumentException("--db-ssl-mode must be one of " + MODES + ", was '" + mode + "'");
            }
            append(url, "sslMode", upper);
        }
        if (trustStore != null) {
            if ("DISABLED".equalsIgnoreCase(mode)) {
                throw new IllegalArgumentException("--db-trust-store makes no sense with --db-ssl-mode DISABLED");
            }
            append(url, "trustCertificateKeyStoreUrl", trustStore.toAbsolutePath().toUri().toString());
            append(url, "trustCertificateKeyStoreType", trustStore.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            if (trustStorePasswordFile != null) {
                append(url, "trustCertificateKeyStorePassword",
                        Files.readString(trustStorePasswordFile, StandardCharsets.UTF_8).strip());
            }
        }
        return url.toString();
    }

    private static void append(StringBuilder url, String property, String value) {
        if (url.indexOf(property + "=") >= 0) {
            throw new IllegalArgumentException("the database URL already sets " + property + ": set it in one place");
        }
        url.append(url.indexOf("?") < 0 ? '?' : '&').append(property).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
