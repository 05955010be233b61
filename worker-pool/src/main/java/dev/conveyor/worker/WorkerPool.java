package dev.conveyor.worker;

import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.JobRules;
import dev.conveyor.core.Lease;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs of one queue: a fixed number of handler slots, each job on its own virtual thread.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.builder(queueManager, WorkerPoolConfig.of("default").withSlots(8))
 *         .handler("resize-image", ctx -> { ...; return Outcome.succeeded(); })
 *         .build()) {
 *     pool.start();
 *     ...
 * } // close(): stop claiming, drain, hand back what is left
 * }</pre>
 *
 * <p>Inside, four parts share the {@code inFlight} map (lease → execution): the {@link JobPoller}s
 * reserve leases and claim; each job's thread waits for a handler slot, runs the job
 * ({@link JobRunner}), frees the slot and hands the outcome to the {@link JobCompleter}, which
 * records outcomes in batches and gives the lease up only then; the {@link LeaseHeartbeat} renews
 * all leases in one statement and interrupts handlers whose lease was lost or whose job was
 * cancelled; the {@link HandlerDeadlines} interrupt handlers that run past their time limit and
 * abandon those that ignore a request to stop; the {@link LeaseFence} stops handlers whose lease
 * could not be renewed before it can expire in the database (self-fencing). Two budgets: at most {@code slots} handlers run,
 * and at most {@code slots + prefetch} leases are held (claimed jobs waiting for a slot, running,
 * or being recorded). Prefetch lets the next job start the moment a handler returns, while its
 * predecessor's completion is committed, and lets claims and completions grow into batches; the
 * {@link PrefetchGovernor} allows it only while handlers are short, so long jobs are not held back
 * from other workers.
 *
 * <p>Outcomes: a handler's result is reported as it returned; after a cancel request as
 * {@link Outcome.Cancelled}; after a lost lease it is dropped (logged, counted); after shutdown
 * interrupted it, the job is {@link Outcome.Released} (READY again, the attempt not spent); after
 * its time limit, as a retryable failure naming the limit ({@link Outcome.Retry}: DEAD on the last
 * attempt). A job whose type has no handler fails at once, not retryable.
 *
 * <p>Handlers that ignore interruption: whatever asked a handler to stop, if it has not returned
 * within {@link WorkerPoolConfig#stopGrace()} the pool frees its slot and reports that same outcome
 * without it (the time limit's failure says the thread was abandoned), then gives up the lease. Its
 * virtual thread runs on, counted by {@link #abandonedHandlers()}; what it returns is ignored and
 * what it writes through its lease is refused by fencing.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    /** After the handlers are interrupted, how long to wait for their hand-backs to be recorded. */
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(10);
    /** Claimer threads per pool (fewer when it may hold fewer leases). */
    static final int CLAIMERS = 2;

    /**
     * The life of a pool, one way only: {@code NEW → RUNNING → STOPPING → TERMINATED} (or
     * {@code NEW → TERMINATED} when closed before it started).
     */
    public enum State {
        /** Built, not started: holds no threads and no leases. */
        NEW,
        /** Claiming and running jobs. */
        RUNNING,
        /** Claims no more; lets running handlers finish until the shutdown timeout, then hands the rest back. */
        STOPPING,
        /**
         * Holds no leases; its threads have ended, except the threads of handlers that ignore
         * interruption, whose jobs were handed back all the same (a late result is refused by fencing).
         */
        TERMINATED
    }

    private final QueueManager queueManager;
    private final WorkerPoolConfig config;
    private final String owner;
    private final PoolMetrics metrics;
    private final JobRunner runner;
    /** One permit per lease the pool may still take: taken by the poller to claim, returned when a lease is given up. */
    private final Semaphore leases;
    /** Holds the prefetch part of {@link #leases} back while handlers are long. */
    private final PrefetchGovernor prefetch;
    /**
     * One permit per free handler slot: taken by a job's thread before its handler runs, returned
     * after it returns or when it is abandoned ({@link Execution#giveUpSlot()} says by whom).
     */
    private final Semaphore slots;
    /**
     * Leases held. Added by the poller threads; removed by the completer threads (or a handler thread
     * whose lease was lost); read by the heartbeat thread and by {@link #close()}.
     */
    private final Map<Lease, Execution> inFlight = new ConcurrentHashMap<>();
    private final WakeSignal wakeSignal = new WakeSignal();
    private final Consumer<String> submitListener = this::submitted;
    private final JobCompleter completer;
    private final LeaseHeartbeat heartbeat;
    private final HandlerDeadlines deadlines;
    private final LeaseFence fence;
    /** Claimer threads: while one waits for its claim's commit, the other claims. */
    private final List<Thread> pollers = new ArrayList<>();
    private final ExecutorService handlerThreads;
    /** Written by start() and close() (compare-and-set); read by the pollers and by callers. */
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final ReentrantLock drainLock = new ReentrantLock();
    /** Signalled by the thread that removes an execution from {@link #inFlight}. */
    private final Condition drained = drainLock.newCondition();

    private WorkerPool(Builder b) {
        this.queueManager = b.queueManager;
        this.config = b.config;
        this.owner = b.owner != null ? b.owner : defaultOwner(config.queue());
        this.leases = new Semaphore(config.maxLeases());
        this.prefetch = new PrefetchGovernor(leases, config.slots(), config.prefetch());
        // Fair: jobs waiting for a slot get one in the order they began to wait.
        this.slots = new Semaphore(config.slots(), true);
        this.metrics = new PoolMetrics(b.meterRegistry, config.queue(), config.slots(),
                () -> config.slots() - slots.availablePermits(), inFlight::size);
        OutboundCalls outbound = b.outbound != null ? b.outbound : new OutboundCalls(OutboundConfig.DEFAULTS,
                b.meterRegistry);
        OpenTelemetry otel = b.openTelemetry != null ? b.openTelemetry : GlobalOpenTelemetry.get();
        this.runner = new JobRunner(b.handlers, queueManager, owner, outbound, new JobTracing(otel), metrics);
        this.completer = new JobCompleter(queueManager, owner, metrics, this::finished);
        this.heartbeat = new LeaseHeartbeat(queueManager, owner, config, inFlight);
        this.deadlines = new HandlerDeadlines(owner, config.stopGrace(), metrics, this::abandoned);
        this.fence = new LeaseFence(owner, config, inFlight, metrics);
        for (int i = 0; i < Math.min(CLAIMERS, config.maxLeases()); i++) {
            pollers.add(Thread.ofPlatform().daemon().name("conveyor-poller-" + owner + "-" + i).unstarted(
                    new JobPoller(queueManager, config, owner, leases, wakeSignal, this::launch,
                            () -> state.get() == State.RUNNING, metrics)));
        }
        this.handlerThreads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("conveyor-job-" + config.queue() + "-", 0).factory());
    }

    public static Builder builder(QueueManager queueManager, WorkerPoolConfig config) {
        return new Builder(queueManager, config);
    }

    /** Starts claiming. A submission to this queue in this process wakes the pool at once. */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("pool " + owner + " is " + state.get() + "; a pool starts once");
        }
        completer.start();
        heartbeat.start();
        fence.start();
        pollers.forEach(Thread::start);
        queueManager.addSubmitListener(submitListener);
        log.info("worker pool {} started: queue {}, {} slots, prefetch {}, lease {}, handler time limit {} "
                + "(stop grace {}), handlers {}", owner, config.queue(), config.slots(), config.prefetch(),
                config.leaseDuration(), DurationText.format(config.handlerTimeout()),
                DurationText.format(config.stopGrace()), runner.types());
    }

    /** Ends an idle wait now: call it when a job may have become ready (a signal from another process). */
    public void wake() {
        wakeSignal.wake();
    }

    public State state() {
        return state.get();
    }

    /** The lease owner this pool claims as; unique per pool instance. */
    public String owner() {
        return owner;
    }

    public WorkerPoolConfig config() {
        return config;
    }

    /**
     * Handler threads that ignored a request to stop for longer than the stop grace and were
     * abandoned, and are still running. Each holds no slot and no lease, but keeps its memory (and,
     * if it spins, a CPU): a number that grows means a handler to fix.
     */
    public int abandonedHandlers() {
        return metrics.abandonedHandlers();
    }

    /** Leases held right now: jobs waiting for a slot, running handlers, and completions being recorded. */
    public int leasesHeld() {
        return inFlight.size();
    }

    /**
     * Graceful shutdown: claims no more, lets running handlers finish for up to the shutdown
     * timeout, then interrupts the rest and hands their jobs back ({@link Outcome.Released}: READY
     * again, the attempt not spent). Returns once the pool holds no leases. Idempotent.
     */
    @Override
    public void close() {
        if (state.compareAndSet(State.NEW, State.TERMINATED)) {
            return;
        }
        if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
            return;
        }
        queueManager.removeSubmitListener(submitListener);
        wakeSignal.wake();
        joinPoller();
        if (!awaitDrained(config.shutdownTimeout())) {
            List<Execution> unfinished = List.copyOf(inFlight.values());
            log.info("pool {}: {} job(s) still running after {}; interrupting them and handing them back", owner,
                    unfinished.size(), config.shutdownTimeout());
            unfinished.forEach(this::release);
            if (!awaitDrained(RELEASE_TIMEOUT)) {
                log.warn("pool {}: {} lease(s) not given back within {}; they expire and are reaped", owner,
                        inFlight.size(), RELEASE_TIMEOUT);
            }
        }
        deadlines.close();
        completer.close();
        fence.close();
        heartbeat.close();
        handlerThreads.shutdownNow();
        state.set(State.TERMINATED);
        log.info("worker pool {} stopped", owner);
    }

    // ---- the parts' callbacks

    /** A submitting thread of this process, after its commit. */
    private void submitted(String queue) {
        if (queue.equals(config.queue())) {
            wakeSignal.wake();
        }
    }

    /** Poller thread: a job was claimed; its lease runs out by this host's clock at {@code leaseDeadline}. */
    private void launch(ClaimedJob job, long leaseDeadline) {
        Execution execution = new Execution(job, leaseDeadline, config.fenceMargin().toNanos(), deadlines::stopRequested);
        inFlight.put(job.lease(), execution);
        handlerThreads.execute(() -> execute(execution));
    }

    /** The job's own thread: waits for a handler slot, runs the handler, frees the slot, reports. */
    private void execute(Execution execution) {
        execution.bindToCurrentThread();
        Outcome outcome = null;
        if (takeSlot(execution)) {
            long started = System.nanoTime();
            try (HandlerDeadlines.Armed ignored = deadlines.arm(execution, timeLimit(execution))) {
                outcome = runner.run(execution);
            } finally {
                freeSlot(execution);
                prefetch.handlerRan(System.nanoTime() - started);
            }
        }
        if (execution.handlerReturned()) {
            metrics.abandonedHandlerReturned();
            log.info("job {} epoch {}: its abandoned handler returned after all; what it returned is ignored",
                    execution.job().id(), execution.job().leaseEpoch());
            return;
        }
        Execution.Stop stop = execution.stopReason();
        if (stop == Execution.Stop.LOST) {
            metrics.leaseLost();
            log.warn("job {} epoch {}: lease lost while running; its result was dropped", execution.job().id(),
                    execution.job().leaseEpoch());
            if (execution.settle()) {
                finished(execution);
            }
            return;
        }
        // A handler that finished its work despite a shutdown or its time limit keeps its success
        // (the work is done; running it again would only repeat it); any other result of an
        // interrupted handler is replaced by what the interruption meant.
        boolean keepsSuccess = (stop == Execution.Stop.RELEASED || stop == Execution.Stop.TIMED_OUT)
                && outcome instanceof Outcome.Succeeded;
        Outcome report = stop == null || keepsSuccess ? outcome : stoppedOutcome(execution, stop, false);
        if (execution.settle()) {
            completer.submit(execution, report);
        }
    }

    /**
     * Waits for a free handler slot. False, holding no slot, when the job was asked to stop first
     * (cancelled, lease lost, pool closing: the interrupt ends the wait) or when the pool began to
     * close while it waited: a prefetched job that has not started is handed back, not begun.
     */
    private boolean takeSlot(Execution execution) {
        if (execution.stopReason() != null) {
            return false;
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            execution.requestStop(Execution.Stop.RELEASED); // keeps the reason that interrupted, if any
            return false;
        }
        execution.slotTaken();
        if (execution.stopReason() == null && state.get() == State.RUNNING) {
            return true;
        }
        freeSlot(execution);
        if (execution.requestStop(Execution.Stop.RELEASED)) {
            Thread.interrupted(); // requestStop interrupted this very thread; nothing is left to stop
        }
        return false;
    }

    /** Returns the execution's slot, once: by its thread when the handler returns, or when it is abandoned. */
    private void freeSlot(Execution execution) {
        if (execution.giveUpSlot()) {
            slots.release();
        }
    }

    /**
     * Deadline thread: a handler asked to stop did not return within the stop grace. Frees its
     * slot, reports for it what the stop meant, unless shutdown already has; its thread is left behind.
     */
    private void abandoned(Execution execution) {
        freeSlot(execution);
        if (!execution.settle()) {
            return;
        }
        Execution.Stop stop = execution.stopReason();
        if (stop == Execution.Stop.LOST) {
            metrics.leaseLost();
            finished(execution);
        } else {
            completer.submit(execution, stoppedOutcome(execution, stop, true));
        }
    }

    private Duration timeLimit(Execution execution) {
        return runner.timeLimit(execution.job(), config.handlerTimeout());
    }

    /** close(): interrupts one unfinished handler and reports for it unless its thread already has. */
    private void release(Execution execution) {
        execution.requestStop(Execution.Stop.RELEASED);
        if (!execution.settle()) {
            return;
        }
        Execution.Stop stop = execution.stopReason();
        if (stop == Execution.Stop.LOST) {
            finished(execution);
        } else {
            completer.submit(execution, stoppedOutcome(execution, stop, false));
        }
    }

    /** What a stop meant for the job; {@code abandoned} when the handler ignored it past the grace. */
    private Outcome stoppedOutcome(Execution execution, Execution.Stop stop, boolean abandoned) {
        return switch (stop) {
            case CANCELLED -> new Outcome.Cancelled("cancel requested while running");
            case TIMED_OUT -> runner.timedOut(execution, timeLimit(execution), abandoned, config.stopGrace());
            case RELEASED -> new Outcome.Released("worker " + owner + " shutting down");
            case LOST -> throw new IllegalStateException("a lost lease has no outcome to report");
        };
    }

    /** The lease is given up (recorded, refused or dropped): the poller may claim another. */
    private void finished(Execution execution) {
        if (inFlight.remove(execution.job().lease()) == null) {
            return;
        }
        prefetch.leaseGivenUp();
        drainLock.lock();
        try {
            drained.signalAll();
        } finally {
            drainLock.unlock();
        }
    }

    private boolean awaitDrained(Duration timeout) {
        long nanos = timeout.toNanos();
        drainLock.lock();
        try {
            while (!inFlight.isEmpty()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = drained.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return inFlight.isEmpty();
        } finally {
            drainLock.unlock();
        }
    }

    private void joinPoller() {
        try {
            // A poller notices STOPPING within one lease wait or after its claim in progress returns.
            for (Thread poller : pollers) {
                poller.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String defaultOwner(String queue) {
        String host = ManagementFactory.getRuntimeMXBean().getName();
        String owner = queue + "@" + host + "/" + UUID.randomUUID().toString().substring(0, 8);
        return owner.length() <= 128 ? owner : owner.substring(owner.length() - 128);
    }

    /** Builds a pool: its queue manager and config, its handlers, and optional shared services. */
    public static final class Builder {
        private final QueueManager queueManager;
        private final WorkerPoolConfig config;
        private final Map<String, JobRunner.Registration> handlers = new HashMap<>();
        private MeterRegistry meterRegistry = new SimpleMeterRegistry();
        private OutboundCalls outbound;
        private OpenTelemetry openTelemetry;
        private String owner;

        private Builder(QueueManager queueManager, WorkerPoolConfig config) {
            if (queueManager == null || config == null) {
                throw new IllegalArgumentException("queueManager and config are required");
            }
            this.queueManager = queueManager;
            this.config = config;
        }

        /** The handler of one job type; its thrown failures back off by the queue's retry policy. */
        public Builder handler(String type, JobHandler handler) {
            return handler(type, handler, null);
        }

        /** The handler of one job type, whose thrown failures back off by {@code retryPolicy}. */
        public Builder handler(String type, JobHandler handler, RetryPolicy retryPolicy) {
            JobRules.requireName("type", type);
            if (handler == null) {
                throw new IllegalArgumentException("handler of '" + type + "' is null");
            }
            Duration limit = handler.timeLimit();
            if (limit != null && (limit.isNegative() || limit.isZero())) {
                throw new IllegalArgumentException("handler of '" + type + "' asks for a time limit of " + limit
                        + "; it must be positive (or null for the pool's)");
            }
            if (handlers.putIfAbsent(type, new JobRunner.Registration(handler, retryPolicy)) != null) {
                throw new IllegalArgumentException("job type '" + type + "' already has a handler");
            }
            return this;
        }

        public Builder handlers(Map<String, JobHandler> byType) {
            byType.forEach(this::handler);
            return this;
        }

        /** Where the pool's meters go; a private {@link SimpleMeterRegistry} by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** Breakers shared with the process's other pools; the pool makes its own by default. */
        public Builder outbound(OutboundCalls calls) {
            this.outbound = calls;
            return this;
        }

        /** Where handler spans go; {@link GlobalOpenTelemetry} by default. */
        public Builder openTelemetry(OpenTelemetry otel) {
            this.openTelemetry = otel;
            return this;
        }

        /** The lease owner name (at most 128 characters), unique per pool instance; generated by default. */
        public Builder owner(String owner) {
            if (owner == null || owner.isBlank() || owner.length() > 128) {
                throw new IllegalArgumentException("owner must be 1 to 128 characters");
            }
            this.owner = owner;
            return this;
        }

        /** @throws IllegalArgumentException without handlers, or when the lease does not cover self-fencing */
        public WorkerPool build() {
            if (handlers.isEmpty()) {
                throw new IllegalArgumentException("pool for queue " + config.queue() + " has no handlers");
            }
            config.requireLeaseCoversFencing();
            return new WorkerPool(this);
        }
    }
}
