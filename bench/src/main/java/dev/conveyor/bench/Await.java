package dev.conveyor.bench;

import java.time.Duration;

/** Polls a condition until it holds or a deadline passes; the harness's only way of waiting. */
final class Await {
    private static final Duration POLL = Duration.ofMillis(100);

    interface Condition {
        boolean holds() throws Exception;
    }

    /** What to report when the deadline passes: the live state, not just "timed out". */
    interface State {
        String describe() throws Exception;
    }

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param guard run before every poll; throws when waiting longer is pointless (a process died)
     * @throws BenchException when {@code timeout} passes first, with {@code state}'s description
     */
    static void until(String what, Duration timeout, Runnable guard, Condition condition, State state)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            guard.run();
            if (condition.holds()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException("timed out after " + timeout.toSeconds() + " s waiting for " + what + " ("
                        + state.describe() + ")");
            }
            Thread.sleep(POLL);
        }
    }
}
