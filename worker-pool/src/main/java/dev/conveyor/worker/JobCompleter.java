package dev.conveyor.worker;

import dev.conveyor.core.Completion;
import dev.conveyor.core.CompletionResult;
import dev.conveyor.core.JobState;
import dev.conveyor.core.Lease;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records finished executions, many per call: group commit. Handlers hand their outcome over and
 * return; a recording thread takes whatever has accumulated while the previous batch was being
 * written and records it with one {@code complete} call. Under load batches grow on their own;
 * when idle, a lone completion is written at once (no timer, no added latency). A few threads
 * record at once, so that one batch's commit (a log flush) does not hold up the next batch, and
 * the database can flush their commits together.
 *
 * <p>A lot that cannot be recorded because the database is unreachable is retried whole, with
 * backoff (100 ms doubling to 1 s), until its leases' local deadlines (see {@link LeaseFence}):
 * the executions stay in the pool's in-flight map meanwhile, so the heartbeat keeps renewing their
 * leases whenever the database answers. Only an execution whose deadline passes is given up (a
 * lost lease: the job runs again once the lease expires and is reaped). A lot the database
 * refuses (an error, not an absence) is recorded one completion at a time, each tried a few times.
 * (A handler's failing {@link dev.conveyor.core.TransactionalWork} is not such a case: the store
 * turns it into a retryable failure of that job alone.)
 */
final class JobCompleter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobCompleter.class);
    private static final int MAX_BATCH = 500;
    /** Recording threads: while one waits for its commit's flush, another writes its batch. */
    static final int THREADS = 2;
    /** Tries of a completion the database refuses (an error other than being unreachable). */
    private static final int MAX_REFUSALS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private record Pending(Execution execution, Outcome outcome) {
    }

    /** Queued by {@link #close()}, once per thread: everything before it is recorded, then the threads end. */
    private static final Pending END = new Pending(null, null);

    private final QueueManager queueManager;
    private final String worker;
    private final PoolMetrics metrics;
    private final CompletionCheck check;
    /** Called on the completer thread once an execution's lease is no longer held. */
    private final Consumer<Execution> onFinished;
    /** Written by handler threads and shutdown; drained by the recording threads. */
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    JobCompleter(QueueManager queueManager, String worker, PoolMetrics metrics, Consumer<Execution> onFinished) {
        this.queueManager = queueManager;
        this.worker = worker;
        this.metrics = metrics;
        this.check = new CompletionCheck(queueManager, worker);
        this.onFinished = onFinished;
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofPlatform().daemon().name("conveyor-completer-" + worker + "-" + i)
                    .unstarted(this::loop));
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    void submit(Execution execution, Outcome outcome) {
        pending.add(new Pending(execution, outcome));
    }

    /** Records what is pending, then stops. */
    @Override
    public void close() {
        threads.forEach(t -> pending.add(END));
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        boolean ending = false;
        while (!ending) {
            try {
                batch.add(pending.take());
                pending.drainTo(batch, MAX_BATCH - 1);
                int ends = 0;
                while (batch.remove(END)) {
                    ends++;
                }
                ending = ends > 0;
                for (int i = 1; i < ends; i++) {
                    pending.add(END); // another thread's: each thread ends on one
                }
                if (!batch.isEmpty()) {
                    record(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("completer of {} failed on a batch of {}; their leases will expire and the jobs run again",
                        worker, batch.size(), e);
                batch.forEach(p -> onFinished.accept(p.execution()));
            } finally {
                batch.clear();
            }
        }
    }

    private void record(List<Pending> batch) throws InterruptedException {
        try {
            apply(batch, queueManager.complete(completions(batch)), false);
            return;
        } catch (StoreUnavailableException e) {
            retryUntilDeadline(batch, e);
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                retryUntilDeadline(batch, e);
                return;
            }
            log.warn("recording {} completions together failed ({}); recording them one by one", batch.size(),
                    e.toString());
        }
        for (Pending p : batch) {
            try {
                apply(List.of(p), queueManager.complete(completions(List.of(p))), false);
            } catch (RuntimeException e) {
                retryUntilDeadline(List.of(p), e);
            }
        }
    }

    /**
     * Retries a lot with backoff for as long as its leases last by this host's clock (each
     * execution's local deadline, which the heartbeat keeps moving while the database answers it):
     * a failover shorter than the lease loses nothing. An execution whose deadline passes is given
     * up, its lease counted lost (the job runs again after the lease expires). The database
     * refusing a completion, rather than being unreachable, is retried {@value #MAX_REFUSALS} times
     * at most: trying again changes nothing there.
     */
    private void retryUntilDeadline(List<Pending> lot, RuntimeException firstFailure) throws InterruptedException {
        List<Pending> left = lot;
        RuntimeException failure = firstFailure;
        // A connection lost during a try leaves its outcome unknown: it may have committed.
        boolean outcomeUnknown = failure instanceof StoreUnavailableException;
        int refusals = 0;
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            if (!(failure instanceof StoreUnavailableException) && ++refusals >= MAX_REFUSALS) {
                left.forEach(p -> giveUp(p, "the database refused it " + MAX_REFUSALS + " times"));
                return;
            }
            left = withinDeadline(left);
            if (left.isEmpty()) {
                return;
            }
            long untilFirstDeadline = left.stream().mapToLong(p -> p.execution().leaseDeadline()).min().orElseThrow()
                    - System.nanoTime();
            TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(backoff.toNanos(), untilFirstDeadline)));
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) <= 0 ? backoff.multipliedBy(2) : MAX_BACKOFF;
            left = withinDeadline(left);
            if (left.isEmpty()) {
                return;
            }
            try {
                apply(left, queueManager.complete(completions(left)), outcomeUnknown);
                return;
            } catch (RuntimeException e) {
                log.debug("recording {} completion(s) failed again: {}", left.size(), e.toString());
                failure = e;
                outcomeUnknown |= e instanceof StoreUnavailableException;
            }
        }
    }

    /** The lot without the executions whose lease ran out by this host's clock; those are given up. */
    private List<Pending> withinDeadline(List<Pending> lot) {
        long now = System.nanoTime();
        List<Pending> within = new ArrayList<>(lot.size());
        for (Pending p : lot) {
            if (p.execution().leaseDeadline() - now > 0) {
                within.add(p);
            } else {
                giveUp(p, "its lease ran out (by this host's clock) while the database could not be reached");
            }
        }
        return within;
    }

    private void giveUp(Pending p, String why) {
        metrics.leaseLost();
        log.error("could not record the {} of job {} epoch {}: {}; the lease is given up and the job will run again",
                p.outcome().getClass().getSimpleName(), p.execution().job().id(), p.execution().job().leaseEpoch(),
                why);
        onFinished.accept(p.execution());
    }

    private List<Completion> completions(List<Pending> batch) {
        List<Completion> out = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            out.add(new Completion(p.execution().job().lease(), p.outcome(), worker));
        }
        return out;
    }

    /**
     * Counts and logs what the store did with a lot, and gives its leases up. {@code outcomeUnknown}:
     * an earlier try of this lot failed after it may have committed (the connection died before
     * the acknowledgement), so a lease found lost now may be our own completion's doing.
     */
    private void apply(List<Pending> batch, CompletionResult result, boolean outcomeUnknown) {
        Map<Lease, Pending> byLease = new HashMap<>();
        batch.forEach(p -> byLease.put(p.execution().job().lease(), p));
        for (Lease lease : result.applied()) {
            Pending p = byLease.get(lease);
            if (p != null) {
                metrics.completed(p.execution().job(), p.outcome(), result.states().get(lease));
            }
        }
        for (Lease lease : result.lost()) {
            Pending p = byLease.get(lease);
            if (p != null) {
                lost(p, outcomeUnknown);
            }
        }
        batch.forEach(p -> onFinished.accept(p.execution()));
    }

    private void lost(Pending p, boolean outcomeUnknown) {
        Lease lease = p.execution().job().lease();
        if (outcomeUnknown) {
            Optional<JobState> committed;
            try {
                committed = check.committedState(p.execution().job());
            } catch (RuntimeException e) {
                log.warn("job {} epoch {}: could not read back whether its completion committed: {}",
                        lease.jobId(), lease.epoch(), e.toString());
                committed = Optional.empty();
            }
            if (committed.isPresent()) {
                metrics.completed(p.execution().job(), p.outcome(), committed.get());
                log.info("job {} epoch {}: its completion had committed ({}) though the acknowledgement was lost",
                        lease.jobId(), lease.epoch(), committed.get());
                return;
            }
        }
        metrics.leaseLost();
        log.warn("job {} epoch {}: lease lost before its {} could be recorded; the result was dropped",
                lease.jobId(), lease.epoch(), p.outcome().getClass().getSimpleName());
    }
}
