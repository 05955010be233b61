package dev.conveyor.server.security;

import dev.conveyor.family.ClientChannels;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How the CLI and the worker daemon reach a server (a picocli mixin). The bearer token comes from
 * {@code --token-file} or {@code CONVEYOR_TOKEN}: never a flag value, which {@code ps} would show.
 */
public final class ClientSecurityOptions implements ClientChannels {
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

    // See ServerSecurityOptions: given, the flag means plaintext whatever the environment says.
    @Option(names = "--plaintext", defaultValue = "${env:CONVEYOR_PLAINTEXT:-false}", arity = "0..1",
            fallbackValue = "true", paramLabel = "true|false",
            description = "Connect without TLS, to a server started with --plaintext (env CONVEYOR_PLAINTEXT=true).")
    boolean plaintext;

    /** The flags' security; a file that cannot be read is an {@link IOException} naming it. */
    public ClientSecurity security() throws IOException {
        String token;
        try {
            token = ClientSecurity.token(tokenFile);
        } catch (IOException e) {
            throw new IOException("--token-file: cannot read " + tokenFile + " (" + e.getClass().getSimpleName() + ")", e);
        }
        return new ClientSecurity(plaintext, ca, clientCert, clientKey, token);
    }

    @Override
    public ManagedChannel open(String target) throws IOException {
        return Grpc.newChannelBuilder(target, security().credentials()).build();
    }
}
