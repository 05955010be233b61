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
 * Deletes finished jobs (and their events, labels and family rows) older than the retention age,
 * every interval, one small batch per transaction so that no round holds locks for long. Any
 * number of processes may run one: the store picks its batches with SKIP LOCKED.
 */
public final class RetentionTask implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionTask.class);

    /**
     * @param keep      how long finished jobs are kept; {@link Duration#ZERO} keeps them forever
     * @param interval  the pause between rounds
     * @param batchSize jobs deleted per transaction; a round repeats while batches come back full
     */
    public record Config(Duration keep, Duration interval, int batchSize) {
        public static final Duration DEFAULT_KEEP = Duration.ofDays(30);
        public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
        public static final int DEFAULT_BATCH_SIZE = 500;
        public static final Config DEFAULTS = new Config(DEFAULT_KEEP, DEFAULT_INTERVAL, DEFAULT_BATCH_SIZE);

        public Config {
            if (keep == null || keep.isNegative()) {
                throw new IllegalArgumentException("retention must be zero (keep forever) or positive, was " + keep);
            }
            if (interval == null || interval.toMillis() < 100) {
                throw new IllegalArgumentException("retention interval must be at least 100 ms, was " + interval);
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("retention batch size must be in [1, 10000], was " + batchSize);
            }
        }

        public boolean enabled() {
            return !keep.isZero();
        }
    }

    private final QueueManager queueManager;
    private final Config config;
    private final Counter pruned;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("conveyor-retention").factory());

    public RetentionTask(QueueManager queueManager, Config config, MeterRegistry meters) {
        this.queueManager = queueManager;
        this.config = config;
        this.pruned = Counter.builder("conveyor.retention.jobs.deleted")
                .description("finished jobs deleted by retention in this process").register(meters);
    }

    /** Starts the rounds; does nothing when retention keeps jobs forever. */
    public void start() {
        if (config.enabled()) {
            long millis = config.interval().toMillis();
            timer.scheduleWithFixedDelay(this::round, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Deletes until a batch comes back short; returns how many jobs it deleted. */
    int round() {
        int total = 0;
        try {
            int n;
            do {
                n = queueManager.prune(config.keep(), config.batchSize());
                total += n;
            } while (n == config.batchSize() && !timer.isShutdown());
        } catch (RuntimeException e) {
            log.warn("retention round failed; next try in {}: {}", config.interval(), e.toString());
        }
        if (total > 0) {
            pruned.increment(total);
            log.info("retention deleted {} job(s) finished more than {} ago", total, config.keep());
        }
        return total;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
