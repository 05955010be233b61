package dev.conveyor.server.security;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How the CLI and the worker daemon reach a server (a picocli mixin). The bearer token comes from
 * {@code --token-file} or {@code CONVEYOR_TOKEN}: never a flag value, which {@code ps} would show.
 */
public final class ClientSecurityOptions {
    @Option(names = "--ca", paramLabel = "PEM", defaultValue = "${env:CONVEYOR_CA}",
            description = "Trust these authorities for the server's certificate (env CONVEYOR_CA; default: the JDK's).")
    Path ca;

    @Option(names = "--client-cert", paramLabel = "PEM", defaultValue = "${env:CONVEYOR_CLIENT_CERT}",
            description = "A client certificate for mutual TLS (env CONVEYOR_CLIENT_CERT); with --client-key.")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "PEM", defaultValue = "${env:CONVEYOR_CLIENT_KEY}",
            description = "Its private key, PKCS#8 PEM (env CONVEYOR_CLIENT_KEY).")
    Path clientKey;

    @Option(names = "--token-file", paramLabel = "PATH", defaultValue = "${env:CONVEYOR_TOKEN_FILE}",
            description = "A file holding the bearer token (env CONVEYOR_TOKEN_FILE); else env CONVEYOR_TOKEN.")
    Path tokenFile;

    @Option(names = "--plaintext", description = "Connect without TLS (a server started with --plaintext).")
    boolean plaintext;

    public ClientSecurity security() throws IOException {
        return new ClientSecurity(plaintext, ca, clientCert, clientKey, ClientSecurity.token(tokenFile));
    }
}
