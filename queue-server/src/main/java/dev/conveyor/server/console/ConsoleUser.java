package dev.conveyor.server.console;

import dev.conveyor.server.security.Identity;
import dev.conveyor.server.security.Role;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is looking at the console, and what its pages offer them: the roles of the API
 * ({@link Role}), so that a person can do in the console what their token lets them do with the CLI.
 */
public record ConsoleUser(String name, Set<Role> roles) {
    public ConsoleUser {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a console user has a name");
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    static ConsoleUser of(Identity identity) {
        return new ConsoleUser(identity.name(), identity.roles());
    }

    /** Reads queues, jobs and racks: every role but a plain submitter, which reads only its own jobs. */
    public boolean canRead() {
        return technician() || operator();
    }

    /** Sees the "validate rack" form. */
    public boolean technician() {
        return roles.contains(Role.TECHNICIAN) || roles.contains(Role.ADMIN);
    }

    /** Sees cancel, retry, pause and resume, and the workers. */
    public boolean operator() {
        return roles.contains(Role.OPERATOR) || roles.contains(Role.ADMIN);
    }

    /** As the audit log and token files write roles: "operator,technician". */
    public String roleLabels() {
        return roles.stream().sorted().map(Role::label).collect(Collectors.joining(","));
    }
}
