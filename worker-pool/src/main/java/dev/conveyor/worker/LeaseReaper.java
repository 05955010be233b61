package dev.conveyor.worker;

import dev.conveyor.core.QueueManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns expired leases to READY (or DEAD when their attempts are spent) every interval, in small
 * batches: what makes a crashed worker's jobs run again within one lease period plus one interval.
 * Any number of processes may run one; the store's SKIP LOCKED batches keep them apart.
 *
 * <p>{@code onReaped} runs after a round that returned jobs, so a process can wake its own pools
 * instead of letting them find the jobs at their next idle poll.
 */
public final class LeaseReaper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

    /**
     * @param interval  the pause between rounds
     * @param batchSize leases returned per statement; a round repeats while batches come back full
     */
    public record Config(Duration interval, int batchSize) {
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
        public static final int DEFAULT_BATCH_SIZE = 100;
        public static final Config DEFAULTS = new Config(DEFAULT_INTERVAL, DEFAULT_BATCH_SIZE);

        public Config {
            if (interval == null || interval.toMillis() < 10 || interval.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("reaper interval must be in [10 ms, 10 min], was " + interval);
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("reaper batch size must be in [1, 10000], was " + batchSize);
            }
        }
    }

    private final QueueManager queueManager;
    private final Config config;
    private final Counter reaped;
    private final Runnable onReaped;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("conveyor-lease-reaper").factory());

    public LeaseReaper(QueueManager queueManager, Config config, MeterRegistry meters, Runnable onReaped) {
        this.queueManager = queueManager;
        this.config = config;
        this.onReaped = onReaped;
        this.reaped = Counter.builder("conveyor.reaper.leases.expired")
                .description("expired leases returned to READY or DEAD by this process").register(meters);
    }

    public void start() {
        long millis = config.interval().toMillis();
        timer.scheduleWithFixedDelay(this::round, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Reaps until a batch comes back short; returns how many leases it returned. */
    int round() {
        int total = 0;
        try {
            int n;
            do {
                n = queueManager.reapExpired(config.batchSize());
                total += n;
            } while (n == config.batchSize() && !timer.isShutdown());
        } catch (RuntimeException e) {
            log.warn("reaping expired leases failed; next try in {}: {}", config.interval(), e.toString());
        }
        if (total > 0) {
            reaped.increment(total);
            onReaped.run();
        }
        return total;
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
