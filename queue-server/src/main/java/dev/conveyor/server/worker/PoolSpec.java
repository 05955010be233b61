package dev.conveyor.server.worker;

import dev.conveyor.core.JobRules;
import dev.conveyor.worker.WorkerPoolConfig;

/** One pool a worker process runs: a queue and its handler slots, written {@code queue[:slots]}. */
public record PoolSpec(String queue, int slots) {

    public PoolSpec {
        JobRules.requireName("queue", queue);
        if (slots < 1 || slots > WorkerPoolConfig.MAX_SLOTS) {
            throw new IllegalArgumentException("pool " + queue + ": slots must be in [1, "
                    + WorkerPoolConfig.MAX_SLOTS + "], was " + slots);
        }
    }

    /** Parses {@code default} or {@code default:8}; without a count the pool has the default slots. */
    public static PoolSpec parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new PoolSpec(text, WorkerPoolConfig.DEFAULT_SLOTS);
        }
        try {
            return new PoolSpec(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pool '" + text + "' must be queue[:slots], e.g. default:8");
        }
    }

    @Override
    public String toString() {
        return queue + ":" + slots;
    }
}
