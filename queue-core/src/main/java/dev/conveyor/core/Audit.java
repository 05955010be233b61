package dev.conveyor.core;

/**
 * Who is making a mutating call, for the audit log: an authenticated identity, the roles it
 * acted with, the action (the RPC's name) and where the call came from. Never a secret.
 */
public record Audit(String actor, String roles, String action, String remote) {
    public static final String OK = "OK";
    public static final String DENIED = "DENIED";
    public static final String FAILED = "FAILED";

    public Audit {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor is required");
        }
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("action is required");
        }
        actor = clip(actor, 128);
        roles = clip(roles, 128);
        action = clip(action, 64);
        remote = clip(remote, 128);
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
