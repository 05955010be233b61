package dev.conveyor.validation.workflow;

import picocli.CommandLine.Command;

/** {@code conveyor rack}: validate racks and follow them. */
@Command(name = "rack", description = "Validate a rack (its switches, then its servers) and read its status.",
        subcommands = {RackValidateCommand.class, RackStatusCommand.class}, mixinStandardHelpOptions = true)
public final class RackCommand {
}
