package dev.conveyor.server.cli;

import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "schema", description = "Check or upgrade the database schema, directly (no server needed).",
        subcommands = {SchemaCommand.Validate.class, SchemaCommand.Migrate.class})
final class SchemaCommand {

    @Command(name = "validate", description = "Exit 0 when the schema is the one this version expects; else say what differs.")
    static final class Validate implements Callable<Integer> {
        @Mixin
        DbOptions db;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return open(spec, db, false, "schema valid");
        }
    }

    @Command(name = "migrate", description = "Apply pending schema migrations, then validate.")
    static final class Migrate implements Callable<Integer> {
        @Mixin
        DbOptions db;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return open(spec, db, true, "schema migrated and valid");
        }
    }

    /** Opening a {@link Database} is the validation: it refuses a schema that differs. */
    private static int open(CommandSpec spec, DbOptions db, boolean migrate, String done) {
        DatabaseConfig config = db.config(migrate).orElseThrow(() ->
                new ParameterException(spec.commandLine(), "--db-url (or CONVEYOR_DB_URL) is required"));
        try (Database opened = db.open(config.withPoolSize(1))) {
            spec.commandLine().getOut().println(done + " (" + opened.family() + ")");
        }
        return ExitCodes.OK;
    }
}
