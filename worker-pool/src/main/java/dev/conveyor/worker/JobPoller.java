package dev.conveyor.worker;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.QueueManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's only claimer. Each round it first reserves leases (waiting for at least one free),
 * then claims exactly as many jobs as it reserved, at most {@code maxBatch}, and gives back in
 * {@code finally} the reservations the claim did not fill: the pool can never hold more leases
 * than its slots and prefetch allow.
 *
 * <p>Polling adapts: while claims find jobs it claims again at once; when a claim finds nothing it
 * waits {@code idlePollMin}, doubling up to {@code idlePollMax}, and any {@link WakeSignal#wake()}
 * (a submission in this process, a cross-process signal) ends the wait and resets the back-off.
 */
final class JobPoller implements Runnable {

    /** Starts a claimed job; {@code leaseDeadline} is its lease's local deadline ({@link System#nanoTime()}). */
    @FunctionalInterface
    interface Launcher {
        void launch(ClaimedJob job, long leaseDeadline);
    }

    private static final Logger log = LoggerFactory.getLogger(JobPoller.class);
    /** How often a poller blocked on a full lease budget checks that the pool is still running. */
    private static final long LEASE_WAIT_MILLIS = 200;

    private final QueueManager queueManager;
    private final WorkerPoolConfig config;
    private final String owner;
    private final Semaphore leases;
    private final WakeSignal wakeSignal;
    private final Launcher launcher;
    private final BooleanSupplier running;
    private final PoolMetrics metrics;

    JobPoller(QueueManager queueManager, WorkerPoolConfig config, String owner, Semaphore leases, WakeSignal wakeSignal,
            Launcher launcher, BooleanSupplier running, PoolMetrics metrics) {
        this.queueManager = queueManager;
        this.config = config;
        this.owner = owner;
        this.leases = leases;
        this.wakeSignal = wakeSignal;
        this.launcher = launcher;
        this.running = running;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        Duration idleWait = config.idlePollMin();
        try {
            while (running.getAsBoolean()) {
                int reserved = reserveLeases();
                if (reserved == 0) {
                    continue;
                }
                int claimed = claim(reserved);
                if (claimed > 0) {
                    idleWait = config.idlePollMin();
                    continue;
                }
                if (wakeSignal.await(idleWait)) {
                    idleWait = config.idlePollMin();
                } else {
                    idleWait = min(idleWait.multipliedBy(2), config.idlePollMax());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for one free lease, then takes as many more as are free, up to {@code maxBatch}. */
    private int reserveLeases() throws InterruptedException {
        if (!leases.tryAcquire(LEASE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            return 0;
        }
        int reserved = 1;
        while (reserved < config.maxBatch() && leases.tryAcquire()) {
            reserved++;
        }
        return reserved;
    }

    /** Claims up to {@code reserved} jobs and launches them; returns how many it launched. */
    private int claim(int reserved) {
        int launched = 0;
        try {
            if (!running.getAsBoolean()) {
                return 0;
            }
            // Taken before the claim is sent: the database starts the lease later, so the local
            // deadline it gives is never later than the database's.
            long sent = System.nanoTime();
            List<ClaimedJob> jobs = queueManager.claim(new ClaimRequest(config.queue(), owner, reserved,
                    config.leaseDuration()));
            metrics.claimed(jobs.size());
            long deadline = sent + config.leaseDuration().toNanos();
            for (ClaimedJob job : jobs) {
                launcher.launch(job, deadline);
                launched++;
            }
            return launched;
        } catch (RuntimeException e) {
            log.warn("claim on queue {} failed; backing off: {}", config.queue(), e.toString());
            return 0;
        } finally {
            leases.release(reserved - launched);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
