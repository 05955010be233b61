package dev.conveyor.worker;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.JobRules;
import java.time.Duration;

/**
 * Settings of one {@link WorkerPool}, validated once.
 *
 * @param queue             the queue the pool claims from
 * @param slots             handlers that may run at once
 * @param maxBatch          at most this many jobs per claim statement (fewer when fewer slots are free)
 * @param leaseDuration     how long a lease lasts without renewal: a crashed worker's jobs run again
 *                          after about this long
 * @param heartbeatInterval how often all in-flight leases are renewed, in one statement; the lease
 *                          must exceed it plus the self-fencing margin ({@link #requireLeaseCoversFencing()}),
 *                          and a lease of at least twice it plus the margin rides out one failed heartbeat
 * @param idlePollMin       the first wait after a claim found nothing; it doubles while the queue stays empty
 * @param idlePollMax       the longest wait between claims of an idle pool; a submission in the same
 *                          process (or {@link WorkerPool#wake()}) ends the wait at once
 * @param shutdownTimeout   how long {@link WorkerPool#close()} lets running handlers finish before it
 *                          interrupts them and hands their jobs back
 * @param handlerTimeout    the longest one execution of a handler may run (a handler may ask for less,
 *                          {@link JobHandler#timeLimit()}); past it the handler is interrupted and the
 *                          attempt fails with a reason that names the limit: retried while attempts
 *                          remain, DEAD after the last
 * @param stopGrace         how long a handler asked to stop (time limit, cancellation, lost lease) may
 *                          take to return; past it the pool records the outcome without it, frees its
 *                          slot and abandons its thread (its late result is ignored, its writes fenced).
 *                          Part of the self-fencing margin ({@link #fenceMargin()})
 * @param prefetch          jobs the pool may claim beyond its slots, to start the moment a slot frees
 *                          (while the previous job's completion is still being recorded): the pool
 *                          holds at most {@code slots + prefetch} leases. Used only while handlers are
 *                          short (under 100 ms on average): it helps short jobs and would hold long
 *                          ones back from other workers. 0 claims only for free slots
 */
public record WorkerPoolConfig(
        String queue,
        int slots,
        int maxBatch,
        Duration leaseDuration,
        Duration heartbeatInterval,
        Duration idlePollMin,
        Duration idlePollMax,
        Duration shutdownTimeout,
        Duration handlerTimeout,
        Duration stopGrace,
        int prefetch) {

    public static final int DEFAULT_SLOTS = 8;
    public static final int MAX_SLOTS = 10_000;
    public static final int DEFAULT_MAX_BATCH = 50;
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    public static final Duration DEFAULT_IDLE_POLL_MIN = Duration.ofMillis(20);
    public static final Duration DEFAULT_IDLE_POLL_MAX = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** Long enough for any handler we know of (a server's full validation takes minutes), short enough to notice. */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofMinutes(30);
    /**
     * Short enough that the default lease (15 s, renewed every 5 s) covers a renewal interval plus
     * the self-fencing margin ({@link #fenceMargin()}, which contains the stop grace).
     */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(3);
    /** The self-fencing check's period at most; shorter for short leases ({@link #fenceTick()}). */
    private static final Duration MAX_FENCE_TICK = Duration.ofMillis(250);
    /** Timer lateness the margin allows for (a fence check that runs late, a busy host). */
    private static final Duration FENCE_TIMER_SLACK = Duration.ofMillis(100);
    /**
     * Difference in clock rate allowed between this host and the database, per unit of time:
     * 1,000 ppm, twice what NTP lets a disciplined clock slew (500 ppm).
     */
    private static final long FENCE_RATE_SLACK_PER_MILLION = 1_000;
    private static final Duration MIN_LEASE = Duration.ofMillis(500);
    private static final Duration MAX_STOP_GRACE = Duration.ofMinutes(10);

    public WorkerPoolConfig {
        JobRules.requireName("queue", queue);
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("slots must be in [1, " + MAX_SLOTS + "], was " + slots);
        }
        if (maxBatch < 1 || maxBatch > ClaimRequest.MAX_JOBS_PER_CLAIM) {
            throw new IllegalArgumentException("maxBatch must be in [1, " + ClaimRequest.MAX_JOBS_PER_CLAIM
                    + "], was " + maxBatch);
        }
        if (leaseDuration == null || leaseDuration.compareTo(MIN_LEASE) < 0) {
            throw new IllegalArgumentException("leaseDuration must be at least " + MIN_LEASE + ", was " + leaseDuration);
        }
        if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                || heartbeatInterval.multipliedBy(2).compareTo(leaseDuration) > 0) {
            throw new IllegalArgumentException("heartbeatInterval must be positive and at most half the lease ("
                    + leaseDuration + "), was " + heartbeatInterval);
        }
        if (idlePollMin == null || idlePollMax == null || idlePollMin.isNegative() || idlePollMin.isZero()
                || idlePollMax.compareTo(idlePollMin) < 0 || idlePollMax.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("need 0 < idlePollMin <= idlePollMax <= 1 min, got "
                    + idlePollMin + " and " + idlePollMax);
        }
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative, was " + shutdownTimeout);
        }
        if (handlerTimeout == null || handlerTimeout.isNegative() || handlerTimeout.isZero()) {
            throw new IllegalArgumentException("handlerTimeout must be positive, was " + handlerTimeout);
        }
        if (stopGrace == null || stopGrace.isNegative() || stopGrace.isZero()
                || stopGrace.compareTo(MAX_STOP_GRACE) > 0) {
            throw new IllegalArgumentException("stopGrace must be in (0, " + MAX_STOP_GRACE + "], was " + stopGrace);
        }
        if (prefetch < 0 || prefetch > MAX_SLOTS) {
            throw new IllegalArgumentException("prefetch must be in [0, " + MAX_SLOTS + "], was " + prefetch);
        }
    }

    /**
     * How often the pool checks its leases' local deadlines (self-fencing): a twentieth of the
     * lease, at most 250 ms.
     */
    public Duration fenceTick() {
        Duration twentieth = leaseDuration.dividedBy(20);
        return twentieth.compareTo(MAX_FENCE_TICK) < 0 ? twentieth : MAX_FENCE_TICK;
    }

    /**
     * The self-fencing margin: a handler whose lease was not renewed is interrupted this long
     * before its local deadline (the send time of the last renewal that committed, plus the
     * lease). It covers the stop grace (a handler that honours the interrupt has returned, or has
     * been abandoned, before the deadline), the fence check's period and timer lateness, and a
     * 1,000 ppm difference in clock rate over one lease: {@code stopGrace + fenceTick + 100 ms +
     * lease / 1000}.
     */
    public Duration fenceMargin() {
        return stopGrace.plus(fenceTick()).plus(FENCE_TIMER_SLACK)
                .plus(leaseDuration.multipliedBy(FENCE_RATE_SLACK_PER_MILLION).dividedBy(1_000_000));
    }

    /**
     * Checks the rule that ties the lease to self-fencing: {@code leaseDuration > heartbeatInterval +
     * fenceMargin()}. A lease renewed on time must not reach its margin between two renewals, or
     * every handler would be stopped. Checked when a pool is built (not by the constructor, so that
     * a chain of {@code with…} calls may pass through a combination it then corrects).
     *
     * @throws IllegalArgumentException naming the settings and their values when the rule fails
     * @return this config
     */
    public WorkerPoolConfig requireLeaseCoversFencing() {
        Duration needed = heartbeatInterval.plus(fenceMargin());
        if (leaseDuration.compareTo(needed) <= 0) {
            throw new IllegalArgumentException("leaseDuration (" + DurationText.format(leaseDuration)
                    + ") must be longer than heartbeatInterval (" + DurationText.format(heartbeatInterval)
                    + ") plus the self-fencing margin (" + DurationText.format(fenceMargin()) + ": stopGrace "
                    + DurationText.format(stopGrace) + " + fence checks and clock slack "
                    + DurationText.format(fenceMargin().minus(stopGrace)) + "), i.e. longer than "
                    + DurationText.format(needed) + ": lengthen the lease, or shorten stopGrace or heartbeatInterval");
        }
        return this;
    }

    /** The most leases the pool holds at once: its slots and its prefetch. */
    public int maxLeases() {
        return slots + prefetch;
    }


    /**
     * The defaults for {@code queue}: 8 slots, no prefetch, a 15 s lease renewed every 5 s, handlers stopped after
     * 30 min and abandoned 3 s after they were asked to stop.
     */
    public static WorkerPoolConfig of(String queue) {
        return new WorkerPoolConfig(queue, DEFAULT_SLOTS, DEFAULT_MAX_BATCH, DEFAULT_LEASE_DURATION,
                DEFAULT_LEASE_DURATION.dividedBy(3), DEFAULT_IDLE_POLL_MIN, DEFAULT_IDLE_POLL_MAX,
                DEFAULT_SHUTDOWN_TIMEOUT, DEFAULT_HANDLER_TIMEOUT, DEFAULT_STOP_GRACE, 0);
    }

    public WorkerPoolConfig withSlots(int n) {
        return new WorkerPoolConfig(queue, n, maxBatch, leaseDuration, heartbeatInterval, idlePollMin, idlePollMax,
                shutdownTimeout, handlerTimeout, stopGrace, prefetch);
    }

    public WorkerPoolConfig withMaxBatch(int n) {
        return new WorkerPoolConfig(queue, slots, n, leaseDuration, heartbeatInterval, idlePollMin, idlePollMax,
                shutdownTimeout, handlerTimeout, stopGrace, prefetch);
    }

    /** A new lease, renewed every third of it. */
    public WorkerPoolConfig withLeaseDuration(Duration lease) {
        return new WorkerPoolConfig(queue, slots, maxBatch, lease, lease.dividedBy(3), idlePollMin, idlePollMax,
                shutdownTimeout, handlerTimeout, stopGrace, prefetch);
    }

    public WorkerPoolConfig withHeartbeatInterval(Duration interval) {
        return new WorkerPoolConfig(queue, slots, maxBatch, leaseDuration, interval, idlePollMin, idlePollMax,
                shutdownTimeout, handlerTimeout, stopGrace, prefetch);
    }

    public WorkerPoolConfig withIdlePoll(Duration min, Duration max) {
        return new WorkerPoolConfig(queue, slots, maxBatch, leaseDuration, heartbeatInterval, min, max,
                shutdownTimeout, handlerTimeout, stopGrace, prefetch);
    }

    public WorkerPoolConfig withShutdownTimeout(Duration timeout) {
        return new WorkerPoolConfig(queue, slots, maxBatch, leaseDuration, heartbeatInterval, idlePollMin, idlePollMax,
                timeout, handlerTimeout, stopGrace, prefetch);
    }

    /** The longest a handler may run; see {@link #handlerTimeout()}. */
    public WorkerPoolConfig withHandlerTimeout(Duration timeout) {
        return new WorkerPoolConfig(queue, slots, maxBatch, leaseDuration, heartbeatInterval, idlePollMin, idlePollMax,
                shutdownTimeout, timeout, stopGrace, prefetch);
    }

    /** How long a handler asked to stop may take to return; see {@link #stopGrace()}. */
    public WorkerPoolConfig withStopGrace(Duration grace) {
        return new WorkerPoolConfig(queue, slots, maxBatch, leaseDuration, heartbeatInterval, idlePollMin, idlePollMax,
                shutdownTimeout, handlerTimeout, grace, prefetch);
    }

    public WorkerPoolConfig withPrefetch(int n) {
        return new WorkerPoolConfig(queue, slots, maxBatch, leaseDuration, heartbeatInterval, idlePollMin, idlePollMax,
                shutdownTimeout, handlerTimeout, stopGrace, n);
    }
}
