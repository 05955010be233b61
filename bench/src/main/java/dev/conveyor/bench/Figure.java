package dev.conveyor.bench;

/**
 * What a measurement measures, and what its ratio compares it with. Ratios are taken only within
 * one run: the machines are shared and noisy, so an absolute figure means little on its own.
 */
enum Figure {
    ENQUEUE_ONE("W1 enqueue, 1 job per call (8 threads)", "jobs/s"),
    ENQUEUE_BATCH("W1 enqueue, 1,000 jobs per call (8 threads)", "jobs/s"),
    DRAIN("W1 drain, first claim to last completion", "jobs/s"),
    LATENCY("W2 submit → handler start, p50 / p95 / p99 / max", "ms"),
    RECOVERY("W3 SIGKILL → every orphan RUNNING again", "s"),
    HISTORY_DRAIN("W4 drain over the finished history", "jobs/s"),
    BACKLOG_DRAIN("W5 drain beside a backlog in the future", "jobs/s"),
    IDLE_CLAIM_READS("W5 rows an idle claim reads (handler counters, with ICP rejections)", "rows");

    private final String label;
    private final String unit;

    Figure(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    String label() {
        return label;
    }

    String unit() {
        return unit;
    }
}
