package dev.conveyor.server.cli;

import dev.conveyor.core.ConveyorException;
import dev.conveyor.core.StoreUnavailableException;
import dev.conveyor.family.ClientChannels;
import dev.conveyor.server.Families;
import dev.conveyor.server.security.ClientSecurityOptions;
import dev.conveyor.server.worker.WorkerCommand;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code conveyor}: the server, the worker daemon and the client commands, in one executable. */
@Command(name = "conveyor", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Conveyor.Version.class,
        description = "A MySQL-backed distributed job queue.",
        subcommands = {ServerCommand.class, WorkerCommand.class, SubmitCommand.class, GetCommand.class, ListCommand.class,
                CancelCommand.class, RetryCommand.class, WatchCommand.class, EventsCommand.class, QueuesCommand.class,
                PauseCommand.class, ResumeCommand.class, WorkersCommand.class, AuditCommand.class,
                SchemaCommand.class, CompletionCommand.class})
public final class Conveyor {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Conveyor's error handling: one line on stderr, and a distinct exit code. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Conveyor());
        Families.cliCommands().forEach(command -> cl.addSubcommand(withClientSecurity(new CommandLine(command))));
        return cl.setParameterExceptionHandler(Conveyor::usageError)
                .setExecutionExceptionHandler((error, commandLine, parsed) -> failed(error, commandLine));
    }

    /** Gives every runnable command of a family the CLI's connection flags; see {@link ClientChannels}. */
    private static CommandLine withClientSecurity(CommandLine command) {
        command.getSubcommands().values().forEach(Conveyor::withClientSecurity);
        Object user = command.getCommandSpec().userObject();
        if (user instanceof Runnable || user instanceof Callable<?>) {
            command.getCommandSpec().addMixin(ClientChannels.MIXIN,
                    CommandSpec.forAnnotatedObject(new ClientSecurityOptions()));
        }
        return command;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println("error: " + e.getMessage() + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        cl.getErr().flush();
        return ExitCodes.USAGE;
    }

    private static int failed(Exception error, CommandLine commandLine) {
        PrintWriter err = commandLine.getErr();
        int code;
        if (error instanceof StatusRuntimeException e) {
            String description = ConnectionFailure.describe(e, server(commandLine))
                    .orElse(e.getStatus().getDescription());
            err.println("error: " + e.getStatus().getCode() + (description == null ? "" : ": " + oneLine(description)));
            code = ExitCodes.of(e.getStatus().getCode());
        } else {
            err.println("error: " + oneLine(error.getMessage() == null ? error.toString() : error.getMessage()));
            code = switch (error) {
                case StoreUnavailableException ignored -> ExitCodes.UNAVAILABLE;
                case ConveyorException ignored -> ExitCodes.ERROR;
                case IllegalArgumentException ignored -> ExitCodes.USAGE;
                default -> ExitCodes.ERROR;
            };
        }
        err.flush();
        return code;
    }

    /** The server a client command called (its --server), or null for a command that calls none. */
    private static String server(CommandLine commandLine) {
        CommandLine.Model.OptionSpec option = commandLine.getCommandSpec().findOption("--server");
        return option == null || option.getValue() == null ? null : option.getValue().toString();
    }

    /** Scripts read errors line by line: a multi-line message (Flyway's, say) is joined into one. */
    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The version Maven put in the jar's manifest, when run from the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Conveyor.class.getPackage().getImplementationVersion();
            return new String[] {"conveyor " + (version == null ? "(development build)" : version)};
        }
    }
}
