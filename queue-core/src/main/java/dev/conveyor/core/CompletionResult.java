package dev.conveyor.core;

import java.util.List;

/**
 * @param applied the completions that were recorded
 * @param lost    the completions refused because their lease was no longer current (reaped,
 *                re-claimed or the job was cancelled): their results were dropped
 */
public record CompletionResult(List<Lease> applied, List<Lease> lost) {
}
