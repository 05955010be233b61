package dev.conveyor.worker;

import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.JobState;
import dev.conveyor.core.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The meters of one pool, all tagged with its queue. Names are listed in {@code docs/operations.md}. */
final class PoolMetrics {
    private final MeterRegistry registry;
    private final String queue;
    private final Counter claimed;
    private final Counter leaseLosses;
    private final Counter leaseFences;
    private final Counter retries;
    private final Counter dead;
    private final Counter timeouts;
    /** Incremented by the deadline thread, decremented by the abandoned handler's own thread if it ever returns. */
    private final AtomicInteger abandoned = new AtomicInteger();

    PoolMetrics(MeterRegistry registry, String queue, int slots, Supplier<Number> busySlots,
            Supplier<Number> leasesHeld) {
        this.registry = registry;
        this.queue = queue;
        this.claimed = Counter.builder("conveyor.worker.jobs.claimed").tag("queue", queue)
                .description("jobs leased by this process's pools").register(registry);
        this.leaseLosses = Counter.builder("conveyor.worker.lease.losses").tag("queue", queue)
                .description("executions whose lease was lost: their results were dropped").register(registry);
        this.leaseFences = Counter.builder("conveyor.worker.lease.fenced").tag("queue", queue)
                .description("handlers stopped by this worker because their lease could not be renewed before its "
                        + "self-fencing margin (each is also a lease loss)").register(registry);
        this.retries = Counter.builder("conveyor.worker.jobs.retried").tag("queue", queue)
                .description("executions that failed and were scheduled to run again").register(registry);
        this.dead = Counter.builder("conveyor.worker.jobs.dead").tag("queue", queue)
                .description("jobs that ended DEAD: a non-retryable failure or the last attempt").register(registry);
        this.timeouts = Counter.builder("conveyor.worker.handler.timeouts").tag("queue", queue)
                .description("executions interrupted because the handler ran past its time limit").register(registry);
        // Held strongly, like the slot gauges' suppliers: Micrometer holds a gauge's object weakly, and
        // the count must not read NaN because the pool that kept it was collected.
        Gauge.builder("conveyor.worker.handler.abandoned", abandoned, AtomicInteger::get).tag("queue", queue)
                .description("handler threads that ignored a request to stop and were abandoned, still running")
                .strongReference(true).register(registry);
        Gauge.builder("conveyor.worker.slots.busy", busySlots).tag("queue", queue)
                .description("slots whose handler is running").register(registry);
        Gauge.builder("conveyor.worker.leases.held", leasesHeld).tag("queue", queue)
                .description("leases held: handlers running, prefetched jobs waiting for a slot, completions "
                        + "being recorded").register(registry);
        Gauge.builder("conveyor.worker.slots", () -> slots).tag("queue", queue)
                .description("handler slots of the pool").register(registry);
    }

    void claimed(int jobs) {
        claimed.increment(jobs);
    }

    void leaseLost() {
        leaseLosses.increment();
    }

    void leaseFenced() {
        leaseFences.increment();
    }

    void handlerTimedOut() {
        timeouts.increment();
    }

    void handlerAbandoned() {
        abandoned.incrementAndGet();
    }

    /** An abandoned handler returned after all: its thread is no longer lost. */
    void abandonedHandlerReturned() {
        abandoned.decrementAndGet();
    }

    /** Handler threads abandoned and still running. */
    int abandonedHandlers() {
        return abandoned.get();
    }

    void handlerFinished(ClaimedJob job, Duration took) {
        Timer.builder("conveyor.worker.handler.duration").tags("queue", queue, "type", job.type())
                .description("time spent in handlers").register(registry).record(took);
    }

    /**
     * Counts one completion the store recorded, as what it became: {@code state} is the state it
     * left the job in, which may differ from what was {@code reported} (a success whose
     * transactional work failed is recorded as a retryable failure).
     */
    void completed(ClaimedJob job, Outcome reported, JobState state) {
        String outcome = switch (state) {
            case SUCCEEDED -> "succeeded";
            case CANCELLED -> "cancelled";
            case READY -> reported instanceof Outcome.Released ? "released" : "retry";
            case DEAD -> reported instanceof Outcome.Retry ? "retry" : "failed";
            default -> name(reported);
        };
        Counter.builder("conveyor.worker.completions").tags("queue", queue, "outcome", outcome)
                .description("completions recorded, by what they became").register(registry).increment();
        if (state == JobState.DEAD) {
            dead.increment();
        } else if (state == JobState.READY && !(reported instanceof Outcome.Released)) {
            retries.increment();
        }
    }

    private static String name(Outcome outcome) {
        return outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
