package dev.conveyor.server.security;

import java.util.Locale;

/** What an identity may do; {@link RbacPolicy} says which RPCs each role may call. */
public enum Role {
    /** Submits jobs and reads the jobs it submitted. */
    SUBMITTER,
    /** Validates racks and servers, reads jobs and queues. */
    TECHNICIAN,
    /** Cancels, retries, pauses and resumes; sees workers and the audit log. */
    OPERATOR,
    /** Everything. */
    ADMIN;

    /** The name used in token files and audit records: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role parse(String label) {
        for (Role role : values()) {
            if (role.label().equals(label)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + label + "' (roles: submitter, technician, operator, admin)");
    }
}
