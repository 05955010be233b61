package dev.conveyor.server.grpc;

import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.QueueManager;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader of the {@code job_event} log per server, fanned out to every open watch by job id
 * (and by parent id: a workflow's parent is watched with its children).
 *
 * <p>Events come from any process that writes to the database (worker daemons included), so the
 * log is the only place to learn of them. One tail per server keeps the cost at one indexed range
 * read per interval however many clients watch; a full page is followed by the next at once, so
 * a burst is caught up without waiting for the interval. Out-of-order commits are handled by
 * {@link EventCursor}.
 *
 * <p>Threads: one scheduler thread reads and delivers; listeners are added and removed from gRPC
 * threads through the concurrent map.
 */
public final class EventTailer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventTailer.class);

    /**
     * Receives the events of the job it subscribed to and of that job's workflow children, on the
     * tailer's thread; must not block.
     */
    interface Listener {
        void onEvent(JobEventRecord event);

        /** The tail stopped (server shutdown): no more events will come. */
        void onTailEnded();
    }

    /**
     * @param interval  the pause between reads when the last one was not a full page
     * @param batchSize events per read
     * @param gapGrace  how long an id skipped by an out-of-order commit is waited for
     */
    public record Settings(Duration interval, int batchSize, Duration gapGrace) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(75), 500, Duration.ofSeconds(10));

        public Settings {
            if (interval.toMillis() < 1 || batchSize < 1 || gapGrace.isNegative()) {
                throw new IllegalArgumentException("tail interval must be at least 1 ms, batch size positive");
            }
        }
    }

    private final QueueManager queues;
    private final Settings settings;
    private final ConcurrentHashMap<Long, Set<Listener>> listeners = new ConcurrentHashMap<>();
    /** Sinks of every event, whatever its job (the web console's live view). */
    private final Set<Consumer<JobEventRecord>> everyEvent = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conveyor-event-tailer");
        t.setDaemon(true);
        return t;
    });
    /** Written and read by the tailer thread only (created before it starts). */
    private EventCursor cursor;
    /** Tailer thread only: to log a failing database once, not every interval. */
    private boolean failing;

    public EventTailer(QueueManager queues, Settings settings, MeterRegistry registry) {
        this.queues = queues;
        this.settings = settings;
        Gauge.builder("conveyor.server.watch.streams", listeners,
                        m -> m.values().stream().mapToInt(Set::size).sum())
                .description("WatchJob streams open on this server")
                .register(registry);
    }

    /** Starts tailing at the newest event: watches see what happens from now on. */
    public void start() {
        cursor = new EventCursor(queues.lastEventId(), settings.gapGrace(), 10_000, System::nanoTime);
        thread.scheduleWithFixedDelay(this::poll, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Delivers the events of the job and of its children to the listener from now on, until the
     * returned handle is run.
     */
    Runnable subscribe(long jobId, Listener listener) {
        listeners.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(jobId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Hands every event read to {@code sink}, on the tailer's thread (so it must not block), until
     * the returned handle is run.
     */
    public Runnable subscribeAll(Consumer<JobEventRecord> sink) {
        everyEvent.add(sink);
        return () -> everyEvent.remove(sink);
    }

    private void poll() {
        try {
            OptionalLong gap = cursor.oldestGap();
            if (gap.isPresent()) {
                deliver(cursor.fill(queues.tailEvents(gap.getAsLong() - 1, settings.batchSize())));
            }
            List<JobEventRecord> batch;
            do {
                batch = queues.tailEvents(cursor.position(), settings.batchSize());
                deliver(cursor.advance(batch));
            } while (batch.size() == settings.batchSize() && !thread.isShutdown());
            if (failing) {
                log.info("event tail reading again at event {}", cursor.position());
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("event tail failed at event {}, retrying every {} ms: {}", cursor.position(),
                        settings.interval().toMillis(), e.toString());
                failing = true;
            }
        }
    }

    private void deliver(List<JobEventRecord> events) {
        for (JobEventRecord event : events) {
            for (Consumer<JobEventRecord> sink : everyEvent) {
                try {
                    sink.accept(event);
                } catch (RuntimeException e) {
                    log.warn("an event subscriber failed on event {}", event.id(), e);
                }
            }
            notify(event.jobId(), event);
            if (event.parentId() != null) {
                notify(event.parentId(), event);
            }
        }
    }

    private void notify(long watchedJob, JobEventRecord event) {
        Set<Listener> watching = listeners.get(watchedJob);
        if (watching == null) {
            return;
        }
        for (Listener listener : watching) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("a watch of job {} failed on event {}", watchedJob, event.id(), e);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listeners.values().forEach(set -> set.forEach(Listener::onTailEnded));
        listeners.clear();
    }
}
