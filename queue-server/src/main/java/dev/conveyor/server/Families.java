package dev.conveyor.server;

import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.family.FamilyContext;
import dev.conveyor.family.JobFamily;
import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.JobHandler;
import io.grpc.BindableService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job families found on the class path, assembled in one place: their tables for the
 * database, their handlers for worker pools, their services for the gRPC server and their
 * commands for the CLI. Adding a family means putting its module on the class path, nothing more.
 */
public final class Families {
    private static final List<JobFamily> FOUND = JobFamily.discover();

    private Families() {
    }

    public static List<JobFamily> all() {
        return FOUND;
    }

    /** The configuration with every family's entities and migrations added. */
    public static DatabaseConfig withFamilies(DatabaseConfig config) {
        return config.withFamilies(JobFamily.allEntityClasses(FOUND), JobFamily.allMigrationLocations(FOUND));
    }

    /**
     * Every family's handlers by job type.
     *
     * @throws IllegalStateException when two families claim one job type
     */
    public static Map<String, JobHandler> handlers(HandlerContext context) {
        Map<String, JobHandler> all = new TreeMap<>();
        Map<String, String> owner = new TreeMap<>();
        for (JobFamily family : FOUND) {
            family.handlers(context).forEach((type, handler) -> {
                String earlier = owner.putIfAbsent(type, family.name());
                if (earlier != null) {
                    throw new IllegalStateException("job type '" + type + "' is claimed by families " + earlier
                            + " and " + family.name());
                }
                all.put(type, handler);
            });
        }
        return all;
    }

    public static List<BindableService> services(FamilyContext context) {
        List<BindableService> services = new ArrayList<>();
        FOUND.forEach(f -> services.addAll(f.services(context)));
        return services;
    }

    public static List<Object> cliCommands() {
        List<Object> commands = new ArrayList<>();
        FOUND.forEach(f -> commands.addAll(f.cliCommands()));
        return commands;
    }
}
