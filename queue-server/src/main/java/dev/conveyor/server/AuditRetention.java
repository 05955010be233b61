package dev.conveyor.server;

import dev.conveyor.core.QueueManager;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes audit records older than the audit log's retention, every interval, one bounded batch
 * per statement, as job retention prunes finished jobs. The audit log keeps its own age, longer
 * than the jobs' by default: who did what stays answerable after the jobs themselves are gone.
 * Servers run it (they write the log); any number may, since each batch is one short DELETE.
 */
public final class AuditRetention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    /**
     * @param keep      how long audit records are kept; {@link Duration#ZERO} keeps them forever
     * @param interval  the pause between rounds
     * @param batchSize records deleted per statement; a round repeats while batches come back full
     */
    public record Config(Duration keep, Duration interval, int batchSize) {
        /** A year and a bit: longer than the jobs' 30 days, and than a yearly access review. */
        public static final Duration DEFAULT_KEEP = Duration.ofDays(400);
        public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);
        public static final int DEFAULT_BATCH_SIZE = 1000;
        public static final Config DEFAULTS = new Config(DEFAULT_KEEP, DEFAULT_INTERVAL, DEFAULT_BATCH_SIZE);

        public Config {
            if (keep == null || keep.isNegative()) {
                throw new IllegalArgumentException("audit retention must be zero (keep forever) or positive, was "
                        + keep);
            }
            if (interval == null || interval.toMillis() < 100) {
                throw new IllegalArgumentException("audit retention interval must be at least 100 ms, was " + interval);
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("audit retention batch size must be in [1, 10000], was "
                        + batchSize);
            }
        }

        public boolean enabled() {
            return !keep.isZero();
        }
    }

    private final QueueManager queues;
    private final Config config;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("conveyor-audit-retention").factory());

    public AuditRetention(QueueManager queues, Config config) {
        this.queues = queues;
        this.config = config;
    }

    /** Starts the rounds; does nothing when the log is kept forever. */
    public void start() {
        if (config.enabled()) {
            long millis = config.interval().toMillis();
            timer.scheduleWithFixedDelay(this::round, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Deletes until a batch comes back short; returns how many records it deleted. */
    public int round() {
        int total = 0;
        try {
            int n;
            do {
                n = queues.pruneAudit(config.keep(), config.batchSize());
                total += n;
            } while (n == config.batchSize() && !timer.isShutdown());
        } catch (RuntimeException e) {
            log.warn("audit retention round failed; next try in {}: {}", config.interval(), e.toString());
        }
        if (total > 0) {
            log.info("audit retention deleted {} record(s) older than {}", total, config.keep());
        }
        return total;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
