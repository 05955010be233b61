package dev.conveyor.worker;

import dev.conveyor.core.Lease;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-fencing: stops a handler whose lease the pool could not renew, before the database can let
 * anyone else take it. Each {@link Execution} carries its lease's local deadline on the monotonic
 * clock (the send time of the claim or of the last renewal that committed, plus the lease; the
 * database's expiry is no earlier). Every {@link WorkerPoolConfig#fenceTick()} this class asks
 * every running handler whose deadline is within {@link WorkerPoolConfig#fenceMargin()} to stop, as
 * for a lost lease ({@link Execution.Stop#LOST}): it is interrupted, abandoned after the stop grace
 * if it ignores that, its slot and lease given up, and whatever it returns dropped.
 *
 * <p>The margin holds the stop grace, so a handler that honours its interrupt has ended before the
 * database's expiry, given that this host's clock and the database's advance at the same rate
 * (within the margin's allowance). An abandoned handler that ignores interruption runs on beyond
 * that: nothing in Java can stop it; its writes through the lease are refused by fencing.
 *
 * <p>Its own platform thread, not the heartbeat's: the heartbeat may hang in a statement whose
 * answer never comes (a half-open path to the database), which is exactly when this must act.
 * Executions already settled (their outcome is being recorded) are left to the completer, which
 * stops trying at the same deadline.
 */
final class LeaseFence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseFence.class);

    private final Duration tick;
    private final long marginNanos;
    private final Duration margin;
    /** The pool's in-flight map; this class only reads it. */
    private final Map<Lease, Execution> inFlight;
    private final PoolMetrics metrics;
    private final ScheduledExecutorService timer;

    LeaseFence(String owner, WorkerPoolConfig config, Map<Lease, Execution> inFlight, PoolMetrics metrics) {
        this.tick = config.fenceTick();
        this.margin = config.fenceMargin();
        this.marginNanos = margin.toNanos();
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("conveyor-fence-" + owner).factory());
    }

    void start() {
        long nanos = tick.toNanos();
        timer.scheduleAtFixedRate(this::check, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        long now = System.nanoTime();
        for (Execution e : inFlight.values()) {
            long left = e.leaseDeadline() - now;
            if (left > marginNanos || e.isSettled()) {
                continue;
            }
            if (e.requestStop(Execution.Stop.LOST)) {
                metrics.leaseFenced();
                log.warn("job {} epoch {}: lease not renewed in time ({} ms left of it by this host's clock, margin "
                                + "{}); stopping its handler before the lease can pass to another worker",
                        e.job().id(), e.job().leaseEpoch(), TimeUnit.NANOSECONDS.toMillis(left),
                        DurationText.format(margin));
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
