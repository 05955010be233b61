package dev.conveyor.worker;

import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/** The meters of one pool, all tagged with its queue. Names are listed in {@code docs/operations.md}. */
final class PoolMetrics {
    private final MeterRegistry registry;
    private final String queue;
    private final Counter claimed;
    private final Counter leaseLosses;
    private final Counter retries;
    private final Counter dead;

    PoolMetrics(MeterRegistry registry, String queue, int slots, Supplier<Number> busySlots) {
        this.registry = registry;
        this.queue = queue;
        this.claimed = Counter.builder("conveyor.worker.jobs.claimed").tag("queue", queue)
                .description("jobs leased by this process's pools").register(registry);
        this.leaseLosses = Counter.builder("conveyor.worker.lease.losses").tag("queue", queue)
                .description("executions whose lease was lost: their results were dropped").register(registry);
        this.retries = Counter.builder("conveyor.worker.jobs.retried").tag("queue", queue)
                .description("executions that failed and were scheduled to run again").register(registry);
        this.dead = Counter.builder("conveyor.worker.jobs.dead").tag("queue", queue)
                .description("jobs that ended DEAD: a non-retryable failure or the last attempt").register(registry);
        Gauge.builder("conveyor.worker.slots.busy", busySlots).tag("queue", queue)
                .description("leases held: handlers running or completions being recorded").register(registry);
        Gauge.builder("conveyor.worker.slots", () -> slots).tag("queue", queue)
                .description("handler slots of the pool").register(registry);
    }

    void claimed(int jobs) {
        claimed.increment(jobs);
    }

    void leaseLost() {
        leaseLosses.increment();
    }

    void handlerFinished(ClaimedJob job, Duration took) {
        Timer.builder("conveyor.worker.handler.duration").tags("queue", queue, "type", job.type())
                .description("time spent in handlers").register(registry).record(took);
    }

    /** Counts one completion the store recorded. */
    void completed(ClaimedJob job, Outcome outcome) {
        Counter.builder("conveyor.worker.completions").tags("queue", queue, "outcome", name(outcome))
                .description("completions recorded, by outcome").register(registry).increment();
        switch (outcome) {
            case Outcome.Retry r -> {
                if (job.lastAttempt()) {
                    dead.increment();
                } else {
                    retries.increment();
                }
            }
            case Outcome.Failed f -> dead.increment();
            default -> { }
        }
    }

    private static String name(Outcome outcome) {
        return outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
