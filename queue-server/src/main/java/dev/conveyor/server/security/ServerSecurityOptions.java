package dev.conveyor.server.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code conveyor server}'s security flags (a picocli mixin); secrets are files, never flag values. */
public final class ServerSecurityOptions {
    @Option(names = "--tls-cert", paramLabel = "PEM", defaultValue = "${env:CONVEYOR_TLS_CERT}",
            description = "The server's certificate chain, PEM (env CONVEYOR_TLS_CERT); with --tls-key.")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "PEM", defaultValue = "${env:CONVEYOR_TLS_KEY}",
            description = "Its private key, unencrypted PKCS#8 PEM (env CONVEYOR_TLS_KEY).")
    Path key;

    @Option(names = "--tls-client-ca", paramLabel = "PEM", defaultValue = "${env:CONVEYOR_TLS_CLIENT_CA}",
            description = "Require client certificates signed by these authorities: mutual TLS "
                    + "(env CONVEYOR_TLS_CLIENT_CA).")
    Path clientCa;

    @Option(names = "--token-file", paramLabel = "PATH", defaultValue = "${env:CONVEYOR_TOKEN_FILE}",
            description = "Identities, roles and token hashes; re-read when it changes (env CONVEYOR_TOKEN_FILE). "
                    + "See docs/security.md.")
    Path tokenFile;

    // arity 0..1 with fallback "true": given, the flag means plaintext even when the environment
    // already says so (a plain boolean flag is set to the opposite of its default, here `true`).
    @Option(names = "--plaintext", defaultValue = "${env:CONVEYOR_PLAINTEXT:-false}", arity = "0..1",
            fallbackValue = "true", paramLabel = "true|false",
            description = "No TLS (env CONVEYOR_PLAINTEXT=true). Without --token-file also no authentication: "
                    + "for a laptop.")
    boolean plaintext;

    @Option(names = "--submit-rate", paramLabel = "JOBS", defaultValue = "${env:CONVEYOR_SUBMIT_RATE:-500}",
            description = "Jobs one identity may submit per second (env CONVEYOR_SUBMIT_RATE; default: ${DEFAULT-VALUE}).")
    int submitRate;

    @Option(names = "--open-endpoints", paramLabel = "PATH", split = ",",
            defaultValue = "${env:CONVEYOR_OPEN_ENDPOINTS:-/healthz,/readyz}",
            description = "HTTP endpoints served without credentials when there is a token file: any of /metrics, "
                    + "/healthz, /readyz, or 'none' (env CONVEYOR_OPEN_ENDPOINTS; default: ${DEFAULT-VALUE}). "
                    + "The others need a bearer token or client certificate: /metrics an operator or admin.")
    List<String> openEndpoints;

    public ServerSecurity.Settings settings() {
        RateLimits.Settings rate = new RateLimits.Settings(submitRate, Duration.ofSeconds(1));
        if (plaintext) {
            if (certificate != null || key != null || clientCa != null) {
                throw new IllegalArgumentException("--plaintext cannot be combined with --tls-cert, --tls-key or "
                        + "--tls-client-ca");
            }
            return new ServerSecurity.Settings(null, tokenFile, rate, open());
        }
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("give --tls-cert and --tls-key (and --token-file), or --plaintext");
        }
        if (tokenFile == null) {
            throw new IllegalArgumentException("TLS needs --token-file: it names the identities and their roles");
        }
        return new ServerSecurity.Settings(new TlsOptions(certificate, key, clientCa), tokenFile, rate, open());
    }

    /**
     * Loads the security these flags describe, so that a mistake stops startup. Every error is an
     * {@link IllegalArgumentException} naming the flag and the file (never the file's content).
     */
    public ServerSecurity load() {
        ServerSecurity.Settings settings = settings();
        check("--token-file", tokenFile, () -> TokenFile.open(tokenFile));
        check("--tls-cert/--tls-key", certificate, () -> Pem.keyManagers(certificate, key));
        check("--tls-client-ca", clientCa, () -> Pem.trustManagers(clientCa));
        try {
            return ServerSecurity.load(settings);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot set up the server's security: " + e.getMessage(), e);
        }
    }

    private Set<String> open() {
        Set<String> open = new LinkedHashSet<>();
        for (String path : openEndpoints) {
            String p = path.strip();
            if (!p.isEmpty() && !p.equals("none")) {
                open.add(p.startsWith("/") ? p : "/" + p);
            }
        }
        try {
            return new ServerSecurity.Settings(null, null, RateLimits.Settings.DEFAULTS, open).openHttp();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--open-endpoints: " + e.getMessage(), e);
        }
    }

    private interface Load {
        Object run() throws IOException;
    }

    private static void check(String flag, Path file, Load load) {
        if (file == null) {
            return;
        }
        try {
            load.run();
        } catch (IOException | RuntimeException e) {
            String message = e instanceof NoSuchFileException ? file + " does not exist" : e.getMessage();
            throw new IllegalArgumentException(flag + ": " + message, e);
        }
    }
}
