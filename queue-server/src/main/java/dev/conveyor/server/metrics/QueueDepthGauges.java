package dev.conveyor.server.metrics;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.QueueStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queue depth by queue and state, the oldest ready job's age and the paused flag, refreshed by
 * one grouped query ({@link QueueManager#queueStats()}) per interval, never one per scrape: a
 * scrape only reads the last figures, so scrapers cannot load the database.
 *
 * <p>The backlog states the store counts are published zeros included, so that a drained state
 * reads 0 instead of vanishing; a queue that no longer has jobs disappears at the next refresh.
 */
public final class QueueDepthGauges implements AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(QueueDepthGauges.class);

    private final QueueManager queues;
    private final MultiGauge depth;
    private final MultiGauge oldestReadyAge;
    private final MultiGauge paused;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conveyor-queue-stats");
        t.setDaemon(true);
        return t;
    });
    /** Refresh thread only. */
    private boolean failing;

    private QueueDepthGauges(QueueManager queues, MeterRegistry registry) {
        this.queues = queues;
        this.depth = MultiGauge.builder("conveyor.server.queue.depth")
                .description("Jobs by queue and state").baseUnit("jobs").register(registry);
        this.oldestReadyAge = MultiGauge.builder("conveyor.server.queue.oldest.ready.age")
                .description("How long the oldest due READY job of the queue has waited").baseUnit("seconds")
                .register(registry);
        this.paused = MultiGauge.builder("conveyor.server.queue.paused")
                .description("1 when workers do not claim from the queue").register(registry);
    }

    public static QueueDepthGauges start(QueueManager queues, MeterRegistry registry, Duration interval) {
        QueueDepthGauges gauges = new QueueDepthGauges(queues, registry);
        gauges.thread.scheduleWithFixedDelay(gauges::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return gauges;
    }

    private void refresh() {
        try {
            publish(queues.queueStats());
            if (failing) {
                log.info("queue statistics readable again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("cannot read queue statistics; the gauges keep their last values: {}", e.toString());
                failing = true;
            }
        }
    }

    private void publish(List<QueueStats> stats) {
        List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        List<MultiGauge.Row<?>> pausedRows = new ArrayList<>();
        for (QueueStats queue : stats) {
            queue.depth().forEach((state, count) ->
                    depthRows.add(MultiGauge.Row.of(Tags.of("queue", queue.queue(), "state", state.name()), count)));
            Tags tags = Tags.of("queue", queue.queue());
            ageRows.add(MultiGauge.Row.of(tags, queue.oldestReadyAge().toNanos() / 1e9));
            pausedRows.add(MultiGauge.Row.of(tags, queue.paused() ? 1 : 0));
        }
        depth.register(depthRows, true);
        oldestReadyAge.register(ageRows, true);
        paused.register(pausedRows, true);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
