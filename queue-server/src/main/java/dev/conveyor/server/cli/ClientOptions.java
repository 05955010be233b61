package dev.conveyor.server.cli;

import dev.conveyor.server.security.ClientSecurityOptions;
import java.io.IOException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every client command takes: where the server is, how to reach it safely, how long to wait, how to print. */
final class ClientOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            defaultValue = "${env:CONVEYOR_SERVER:-localhost:" + ServerCommand.DEFAULT_GRPC_PORT + "}",
            description = "The Conveyor server (env CONVEYOR_SERVER; default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json (the API's messages in proto3 JSON).")
    String format;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up on a call after this many seconds (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Mixin
    ClientSecurityOptions security;

    /** A file of the connection flags that cannot be used (a CA, a key, the token) is a usage error. */
    ApiClient connect() {
        try {
            return ApiClient.connect(timeoutSeconds, security.open(server));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    Output output() {
        Output.Format parsed = switch (format) {
            case "table" -> Output.Format.TABLE;
            case "json" -> Output.Format.JSON;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--output must be table or json, was '" + format + "'");
        };
        return new Output(spec.commandLine().getOut(), parsed);
    }
}
