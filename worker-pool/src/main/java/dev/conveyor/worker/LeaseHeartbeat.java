package dev.conveyor.worker;

import dev.conveyor.core.HeartbeatResult;
import dev.conveyor.core.Lease;
import dev.conveyor.core.QueueManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews every lease the pool holds with one statement per interval, and stops the handlers whose
 * lease is gone or whose job was asked to cancel: that is how a cancellation reaches a running job.
 *
 * <p>Executions already settled (their outcome is on its way to the store) are renewed but not
 * stopped: the completion's own fenced write decides for them.
 */
final class LeaseHeartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseHeartbeat.class);

    private final QueueManager queueManager;
    private final String owner;
    private final Duration leaseDuration;
    private final Duration interval;
    /** The pool's in-flight map; this class only reads it. */
    private final Map<Lease, Execution> inFlight;
    private final ScheduledExecutorService timer;

    LeaseHeartbeat(QueueManager queueManager, String owner, WorkerPoolConfig config, Map<Lease, Execution> inFlight) {
        this.queueManager = queueManager;
        this.owner = owner;
        this.leaseDuration = config.leaseDuration();
        this.interval = config.heartbeatInterval();
        this.inFlight = inFlight;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("conveyor-heartbeat-" + owner).factory());
    }

    void start() {
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        List<Lease> leases = List.copyOf(inFlight.keySet());
        if (leases.isEmpty()) {
            return;
        }
        // Taken before the renewal is sent: the database's new expiry is no earlier than this plus
        // the lease, so the deadline the fence counts down to is never later than the database's.
        long sent = System.nanoTime();
        HeartbeatResult result;
        try {
            result = queueManager.heartbeat(owner, leases, leaseDuration);
        } catch (RuntimeException e) {
            log.warn("heartbeat of {} leases failed; they expire {} after the last renewal, and their handlers are "
                    + "stopped before that: {}", leases.size(), leaseDuration, e.toString());
            return;
        }
        long deadline = sent + leaseDuration.toNanos();
        for (Lease lease : leases) {
            Execution e = inFlight.get(lease);
            // Only leases the statement renewed: a lost lease or a cancel request was not renewed.
            if (e != null && !result.lost().contains(lease) && !result.cancelRequested().contains(lease)) {
                e.leaseRenewed(deadline);
            }
        }
        for (Lease lease : result.lost()) {
            Execution e = inFlight.get(lease);
            if (e != null && !e.isSettled() && e.requestStop(Execution.Stop.LOST)) {
                log.warn("job {} epoch {}: lease lost (expired and reaped, or taken over); stopping its handler",
                        lease.jobId(), lease.epoch());
            }
        }
        for (Lease lease : result.cancelRequested()) {
            Execution e = inFlight.get(lease);
            if (e != null && !e.isSettled() && e.requestStop(Execution.Stop.CANCELLED)) {
                log.info("job {}: cancel requested; interrupting its handler", lease.jobId());
            }
        }
    }

    /** Stops renewing; a renewal under way finishes (interrupting it could break its connection). */
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
