package dev.conveyor.core;

import dev.conveyor.core.db.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The queue: submit, read, lease, complete and manage jobs, all against one database.
 *
 * <p>Thread-safe; one instance per process is enough. Every method is one short transaction (or
 * none); deadlocks and lock wait timeouts are retried inside, never shown to the caller. Times
 * are the database's. See {@code docs/architecture.md} for the lease protocol.
 */
public final class QueueManager {

    public QueueManager(Database database, QueueManagerConfig config) {
        throw new UnsupportedOperationException("landing soon");
    }

    public QueueManager(Database database) {
        this(database, QueueManagerConfig.DEFAULTS);
    }

    // ---- submission

    /** Enqueues one job; idempotent on {@code (queue, idempotency_key)}. */
    public SubmitResult submit(NewJob job) {
        throw new UnsupportedOperationException();
    }

    /** Enqueues one job with a family's own rows, in one transaction. */
    public SubmitResult submit(NewJob job, JobExtension extension) {
        throw new UnsupportedOperationException();
    }

    /** Enqueues jobs in one transaction: all are accepted or none. Results in request order. */
    public List<SubmitResult> submitAll(List<NewJob> jobs) {
        throw new UnsupportedOperationException();
    }

    /** Called (on the submitting thread, after commit) with the queue of each submission. */
    public void addSubmitListener(Consumer<String> listener) {
        throw new UnsupportedOperationException();
    }

    // ---- reads

    public JobSnapshot get(long jobId) {
        throw new UnsupportedOperationException();
    }

    public JobPage list(JobQuery query) {
        throw new UnsupportedOperationException();
    }

    public List<Long> dependencies(long jobId) {
        throw new UnsupportedOperationException();
    }

    /** A job's history after {@code afterEventId}, oldest first. */
    public List<JobEventRecord> events(long jobId, long afterEventId, int limit) {
        throw new UnsupportedOperationException();
    }

    /** Every job's history after {@code afterEventId}, oldest first: what a watcher tails. */
    public List<JobEventRecord> tailEvents(long afterEventId, int limit) {
        throw new UnsupportedOperationException();
    }

    /** The newest event id, 0 when there is none: where a new tail starts. */
    public long lastEventId() {
        throw new UnsupportedOperationException();
    }

    public List<QueueStats> queueStats() {
        throw new UnsupportedOperationException();
    }

    public Instant databaseNow() {
        throw new UnsupportedOperationException();
    }

    // ---- the lease protocol (workers)

    public List<ClaimedJob> claim(ClaimRequest request) {
        throw new UnsupportedOperationException();
    }

    /** Renews the given leases of {@code owner} in one statement; says which are lost or cancelled. */
    public HeartbeatResult heartbeat(String owner, Collection<Lease> leases, Duration leaseDuration) {
        throw new UnsupportedOperationException();
    }

    /** Records finished executions, fenced by their leases; batched where it can be. */
    public CompletionResult complete(List<Completion> completions) {
        throw new UnsupportedOperationException();
    }

    /** Appends a handler's step to the job's history, fenced: false when the lease is lost. */
    public boolean recordEvent(Lease lease, EventDraft event, String worker) {
        throw new UnsupportedOperationException();
    }

    /** Returns expired leases to READY (or DEAD when attempts are spent); at most {@code max}. */
    public int reapExpired(int max) {
        throw new UnsupportedOperationException();
    }

    // ---- control (operators)

    /**
     * Cancels a WAITING or READY job at once (and the jobs that depend on it); for a RUNNING job,
     * asks its worker to stop through the next heartbeat. Returns the state after the call.
     *
     * @throws IllegalJobStateException when the job has already ended
     */
    public JobState cancel(long jobId, String reason, String by) {
        throw new UnsupportedOperationException();
    }

    /**
     * Makes a DEAD or CANCELLED job READY again with fresh attempts.
     *
     * @throws IllegalJobStateException for any other state
     */
    public void retry(long jobId, String by) {
        throw new UnsupportedOperationException();
    }

    public void pause(String queue, String by) {
        throw new UnsupportedOperationException();
    }

    public void resume(String queue) {
        throw new UnsupportedOperationException();
    }

    public boolean isPaused(String queue) {
        throw new UnsupportedOperationException();
    }

    /** Deletes up to {@code batchSize} jobs that ended before now − {@code olderThan}, with their rows. */
    public int prune(Duration olderThan, int batchSize) {
        throw new UnsupportedOperationException();
    }

    // ---- worker registry

    public void registerWorker(WorkerInfo worker) {
        throw new UnsupportedOperationException();
    }

    public void heartbeatWorker(String workerId) {
        throw new UnsupportedOperationException();
    }

    public void deregisterWorker(String workerId) {
        throw new UnsupportedOperationException();
    }

    public List<WorkerInfo> workers() {
        throw new UnsupportedOperationException();
    }
}
