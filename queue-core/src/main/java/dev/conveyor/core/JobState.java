package dev.conveyor.core;

/**
 * The life of a job. The state machine is drawn in {@code docs/architecture.md}:
 *
 * <pre>
 * WAITING → READY → RUNNING → SUCCEEDED
 *                        ├──→ READY     (retryable failure, with backoff; lease expired)
 *                        ├──→ DEAD      (non-retryable, or attempts spent)
 *                        └──→ CANCELLED (cancel requested while running)
 * WAITING | READY → CANCELLED;  DEAD | CANCELLED → READY (operator retry)
 * </pre>
 */
public enum JobState {
    /** Dependencies (or children, for a parent) are not done yet. */
    WAITING,
    /** Runnable once {@code run_at} is due. */
    READY,
    /** Leased to a worker. */
    RUNNING,
    SUCCEEDED,
    /** Attempts exhausted or failed with a non-retryable error. */
    DEAD,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }
}
