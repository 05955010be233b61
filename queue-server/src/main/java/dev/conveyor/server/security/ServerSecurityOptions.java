package dev.conveyor.server.security;

import java.nio.file.Path;
import java.time.Duration;
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

    @Option(names = "--plaintext", description = "No TLS. Without --token-file also no authentication: for a laptop.")
    boolean plaintext;

    @Option(names = "--submit-rate", paramLabel = "JOBS", defaultValue = "${env:CONVEYOR_SUBMIT_RATE:-500}",
            description = "Jobs one identity may submit per second (env CONVEYOR_SUBMIT_RATE; default: ${DEFAULT-VALUE}).")
    int submitRate;

    public ServerSecurity.Settings settings() {
        RateLimits.Settings rate = new RateLimits.Settings(submitRate, Duration.ofSeconds(1));
        if (plaintext) {
            if (certificate != null || key != null || clientCa != null) {
                throw new IllegalArgumentException("--plaintext cannot be combined with --tls-cert, --tls-key or "
                        + "--tls-client-ca");
            }
            return new ServerSecurity.Settings(null, tokenFile, rate);
        }
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("give --tls-cert and --tls-key (and --token-file), or --plaintext");
        }
        return new ServerSecurity.Settings(new TlsOptions(certificate, key, clientCa), tokenFile, rate);
    }
}
