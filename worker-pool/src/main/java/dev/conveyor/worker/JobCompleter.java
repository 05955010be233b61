package dev.conveyor.worker;

import dev.conveyor.core.Completion;
import dev.conveyor.core.CompletionResult;
import dev.conveyor.core.Lease;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
 * <p>A batch the store refuses as a whole (the database is away) is retried one completion at a
 * time with backoff; what still cannot be recorded is left to expire and be reaped. (A handler's
 * failing {@link dev.conveyor.core.TransactionalWork} is not such a case: the store turns it into
 * a retryable failure of that job alone.)
 */
final class JobCompleter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobCompleter.class);
    private static final int MAX_BATCH = 500;
    /** Recording threads: while one waits for its commit's flush, another writes its batch. */
    static final int THREADS = 2;
    private static final int MAX_TRIES = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private record Pending(Execution execution, Outcome outcome) {
    }

    /** Queued by {@link #close()}, once per thread: everything before it is recorded, then the threads end. */
    private static final Pending END = new Pending(null, null);

    private final QueueManager queueManager;
    private final String worker;
    private final PoolMetrics metrics;
    /** Called on the completer thread once an execution's lease is no longer held. */
    private final Consumer<Execution> onFinished;
    /** Written by handler threads and shutdown; drained by the recording threads. */
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    JobCompleter(QueueManager queueManager, String worker, PoolMetrics metrics, Consumer<Execution> onFinished) {
        this.queueManager = queueManager;
        this.worker = worker;
        this.metrics = metrics;
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
            apply(batch, queueManager.complete(completions(batch)));
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                recordAlone(batch.getFirst(), e);
                return;
            }
            log.warn("recording {} completions together failed ({}); recording them one by one", batch.size(),
                    e.toString());
        }
        for (Pending p : batch) {
            try {
                apply(List.of(p), queueManager.complete(completions(List.of(p))));
            } catch (RuntimeException e) {
                recordAlone(p, e);
            }
        }
    }

    /** Retries one completion with backoff; gives up after {@value #MAX_TRIES} tries (the lease then expires). */
    private void recordAlone(Pending p, RuntimeException firstFailure) throws InterruptedException {
        RuntimeException failure = firstFailure;
        Duration backoff = FIRST_BACKOFF;
        for (int tries = 1; tries < MAX_TRIES; tries++) {
            Thread.sleep(backoff);
            backoff = backoff.multipliedBy(2);
            try {
                apply(List.of(p), queueManager.complete(completions(List.of(p))));
                return;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        log.error("could not record the outcome of job {} ({} tries); its lease will expire and it will run again",
                p.execution().job().id(), MAX_TRIES, failure);
        onFinished.accept(p.execution());
    }

    private List<Completion> completions(List<Pending> batch) {
        List<Completion> out = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            out.add(new Completion(p.execution().job().lease(), p.outcome(), worker));
        }
        return out;
    }

    private void apply(List<Pending> batch, CompletionResult result) {
        Map<Lease, Pending> byLease = new HashMap<>();
        batch.forEach(p -> byLease.put(p.execution().job().lease(), p));
        for (Lease lease : result.applied()) {
            Pending p = byLease.get(lease);
            if (p != null) {
                metrics.completed(p.execution().job(), p.outcome());
            }
        }
        for (Lease lease : result.lost()) {
            Pending p = byLease.get(lease);
            if (p != null) {
                metrics.leaseLost();
                log.warn("job {} epoch {}: lease lost before its {} could be recorded; the result was dropped",
                        lease.jobId(), lease.epoch(), p.outcome().getClass().getSimpleName());
            }
        }
        batch.forEach(p -> onFinished.accept(p.execution()));
    }
}
