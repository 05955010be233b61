package dev.conveyor.server.security;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An authenticated caller: its name (what jobs record as {@code created_by} and the audit log as
 * the actor), its roles, and how it proved who it is. Never holds a credential.
 */
public record Identity(String name, Set<Role> roles, Via via) {
    /** Names as token files and certificate subjects may give them. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@:-]{0,127}");

    /**
     * Who every caller is when the server runs without authentication ({@code --plaintext} without a
     * token file): one identity, with every role. Its name is what the audit log records as the
     * actor and jobs as {@code created_by}, and its idempotency keys are shared by every caller.
     */
    public static final String ANONYMOUS_NAME = "anonymous";
    public static final Identity ANONYMOUS = new Identity(ANONYMOUS_NAME, EnumSet.allOf(Role.class), Via.NONE);

    /** How the identity was established. */
    public enum Via {
        BEARER_TOKEN, CLIENT_CERTIFICATE,
        /** Not at all: the server runs without authentication. */
        NONE
    }

    public Identity {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an identity name must match " + NAME.pattern());
        }
        if (via == null) {
            throw new IllegalArgumentException("via is required");
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Whether {@code name} could be an identity's name: what an actor filter is checked against. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** The roles as the audit log and token files write them: "operator,technician". */
    public String roleLabels() {
        return roles.stream().sorted().map(Role::label).collect(Collectors.joining(","));
    }
}
