package dev.conveyor.family;

import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.JobHandler;
import io.grpc.BindableService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A job family — its entity, its tables, its handlers and its gRPC service — as one module that
 * registers itself here: implement this interface and list the class in
 * {@code META-INF/services/dev.conveyor.family.JobFamily}. The queue server and the worker
 * daemon find every family on their class path; adding one touches no other module.
 *
 * <p>Two phases, because the database must know a family's tables before anything runs:
 * {@link #entityClasses()} and {@link #migrationLocation()} are read when the database is
 * opened; {@link #handlers} and {@link #services} once the queue is up.
 */
public interface JobFamily {

    /** A short lowercase name, e.g. {@code tor-starter}; also names the family's Flyway history. */
    String name();

    /** Hibernate entities: JOINED subclasses of {@code Job} and their child tables. */
    default List<Class<?>> entityClasses() {
        return List.of();
    }

    /**
     * The family's Flyway migrations, e.g. {@code classpath:db/tor}, or null for none. Each family
     * keeps its own history table ({@code flyway_history_<name>}), so families version their
     * schema independently of the core and of each other. Tables that extend {@code job} reference
     * {@code job(id)} with {@code ON DELETE CASCADE} so that retention removes them with the job.
     */
    default String migrationLocation() {
        return null;
    }

    /** The handlers of the family's job types, for worker pools. */
    default Map<String, JobHandler> handlers(HandlerContext context) {
        return Map.of();
    }

    /** The family's gRPC services, for the queue server. */
    default List<BindableService> services(FamilyContext context) {
        return List.of();
    }

    /**
     * The family's {@code conveyor} subcommands: picocli command objects (classes annotated with
     * {@code @Command}) that the CLI adds under its root command, e.g. {@code conveyor rack}.
     */
    default List<Object> cliCommands() {
        return List.of();
    }

    /** Every family on the class path, in a stable order. */
    static List<JobFamily> discover() {
        List<JobFamily> families = new ArrayList<>();
        ServiceLoader.load(JobFamily.class).forEach(families::add);
        families.sort(java.util.Comparator.comparing(JobFamily::name));
        return List.copyOf(families);
    }

    /** The entity classes of all families, for {@code DatabaseConfig.withFamilies}. */
    static List<Class<?>> allEntityClasses(List<JobFamily> families) {
        return families.stream().flatMap(f -> f.entityClasses().stream()).toList();
    }

    /** The migration locations of all families that have one. */
    static List<String> allMigrationLocations(List<JobFamily> families) {
        return families.stream().map(JobFamily::migrationLocation).filter(java.util.Objects::nonNull).toList();
    }
}
