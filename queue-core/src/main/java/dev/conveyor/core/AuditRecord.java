package dev.conveyor.core;

import java.time.Instant;

/** One line of the audit log, as read back. */
public record AuditRecord(long id, Instant at, String actor, String roles, String action, String target,
        String outcome, String detail, String remote) {
}
