package dev.conveyor.family;

import io.grpc.ManagedChannel;
import java.io.IOException;

/**
 * How a family's CLI commands reach the server with the CLI's connection security (TLS, a client
 * certificate, a bearer token), which lives in the queue server's module. The {@code conveyor}
 * CLI adds its connection options, an object implementing this interface, to every runnable
 * command of a family as the picocli mixin named {@value #MIXIN}: a command looks it up in its
 * spec's mixins. A command run outside the {@code conveyor} CLI (in a test) has none, and then
 * connects in plaintext.
 */
public interface ClientChannels {
    /** The mixin's name in a command's spec. */
    String MIXIN = "clientSecurity";

    /** A channel to {@code target} ({@code host:port}) with the command line's credentials; the caller closes it. */
    ManagedChannel open(String target) throws IOException;
}
