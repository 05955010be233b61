package dev.conveyor.core;

/** One finished execution to record: fenced by its lease. */
public record Completion(Lease lease, Outcome outcome, String worker) {
}
