package dev.conveyor.core;

import java.util.List;
import java.util.Map;

/**
 * @param applied the completions that were recorded
 * @param lost    the completions refused because their lease was no longer current (reaped,
 *                re-claimed or the job was cancelled): their results were dropped
 * @param states  the state each applied completion left its job in: what was recorded, which is not
 *                always what was reported (a success whose {@link TransactionalWork} failed is
 *                recorded as a retryable failure, READY again or DEAD on the last attempt)
 */
public record CompletionResult(List<Lease> applied, List<Lease> lost, Map<Lease, JobState> states) {

    public CompletionResult {
        applied = List.copyOf(applied);
        lost = List.copyOf(lost);
        states = Map.copyOf(states);
    }
}
