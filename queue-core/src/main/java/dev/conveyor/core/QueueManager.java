package dev.conveyor.core;

import dev.conveyor.core.db.Database;
import dev.conveyor.core.store.AuditLog;
import dev.conveyor.core.store.EventLog;
import dev.conveyor.core.store.GroupCommit;
import dev.conveyor.core.store.JobClaimer;
import dev.conveyor.core.store.CompletionWriter;
import dev.conveyor.core.store.JobControl;
import dev.conveyor.core.store.JobReader;
import dev.conveyor.core.store.JobSubmitter;
import dev.conveyor.core.store.LeaseKeeper;
import dev.conveyor.core.store.ExpiredLeases;
import dev.conveyor.core.store.QueuePauses;
import dev.conveyor.core.store.RetentionPruner;
import dev.conveyor.core.store.StepRecorder;
import dev.conveyor.core.store.Transactions;
import dev.conveyor.core.store.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue: submit, read, lease, complete and manage jobs, all against one database.
 *
 * <p>Thread-safe; one instance per process is enough. Every method is one short transaction (or
 * none); deadlocks and lock wait timeouts are retried inside, never shown to the caller. Times
 * are the database's. See {@code docs/architecture.md} for the lease protocol.
 */
public final class QueueManager {
    private static final Logger log = LoggerFactory.getLogger(QueueManager.class);

    private final Database database;
    private final QueueManagerConfig config;
    private final Transactions tx;
    private final JobSubmitter submitter;
    /** Concurrent single submissions in shared transactions; null where the INSERT cannot return ids. */
    private final GroupCommit groups;
    private final JobClaimer claimer;
    private final LeaseKeeper leases = new LeaseKeeper();
    private final CompletionWriter completer;
    private final ExpiredLeases reaper = new ExpiredLeases();
    private final JobControl control = new JobControl();
    private final JobReader reader = new JobReader();
    private final RetentionPruner pruner = new RetentionPruner();
    private final WorkerRegistry registry = new WorkerRegistry();
    private final QueuePauses pauses = new QueuePauses();
    private final StepRecorder steps = new StepRecorder();
    private final AuditLog auditLog = new AuditLog();
    /** Who the mutating calls of this view are made for; null for the process itself. */
    private final Audit audit;
    /** Set by the first claim whose lease is too short for the connection bounds (one warning, at worst a few). */
    private volatile boolean shortLeaseWarned;
    /** What this view's job-creating calls are charged against. */
    private final SubmitQuota quota;
    /** False when the caller's edge writes the record of a failed call itself (with its request's target). */
    private final boolean auditFailures;
    /** Added by pools at start, read by submitting threads after each commit; shared by audited views. */
    private final List<Consumer<String>> submitListeners;

    public QueueManager(Database database, QueueManagerConfig config) {
        this.database = database;
        this.config = config;
        this.tx = new Transactions(database.dataSource());
        this.submitter = new JobSubmitter(config.limits(), database.family());
        this.groups = database.family().supportsInsertReturning() ? new GroupCommit(tx, submitter, auditLog) : null;
        this.claimer = new JobClaimer(config.concurrencyDeferral());
        this.completer = new CompletionWriter(config.retryPolicy(), config.limits());
        this.submitListeners = new CopyOnWriteArrayList<>();
        this.audit = null;
        this.quota = SubmitQuota.UNLIMITED;
        this.auditFailures = true;
    }

    private QueueManager(QueueManager base, Audit audit, SubmitQuota quota, boolean auditFailures) {
        this.database = base.database;
        this.config = base.config;
        this.tx = base.tx;
        this.submitter = base.submitter;
        this.groups = base.groups;
        this.claimer = base.claimer;
        this.completer = base.completer;
        this.submitListeners = base.submitListeners;
        this.audit = audit;
        this.quota = quota;
        this.auditFailures = auditFailures;
    }

    /**
     * A view of this queue whose mutating calls (submit, cancel, retry, pause, resume) are made
     * for {@code audit}'s caller: each writes an audit record in the transaction of its change,
     * or, when it fails, an audit record of the failure on its own.
     */
    public QueueManager as(Audit audit) {
        return new QueueManager(this, audit, quota, auditFailures);
    }

    /**
     * This view with every job-creating call (submit, batch, workflow, retry) charged to
     * {@code quota} first: over it, the call creates nothing and fails with
     * {@link QuotaExceededException} (audited as DENIED).
     */
    public QueueManager withQuota(SubmitQuota quota) {
        return new QueueManager(this, audit, quota, auditFailures);
    }

    /**
     * This view without the audit records of failed calls, for an edge that records every failed
     * call itself, including those refused before they reach the queue (the gRPC server does).
     */
    public QueueManager failuresAuditedByCaller() {
        return new QueueManager(this, audit, quota, false);
    }

    /** Records a mutating call that failed before reaching the queue (bad input), with what it was about. */
    public void auditFailed(Audit failed, String target, String reason) {
        tx.autoCommit("audit", c -> {
            auditLog.append(c, failed, target, Audit.FAILED, reason);
            return null;
        });
    }

    /**
     * Deletes up to {@code batchSize} audit records older than now − {@code olderThan}, oldest
     * first, in one short statement; returns how many. The audit log's retention is its own,
     * longer than the jobs' it describes.
     */
    public int pruneAudit(Duration olderThan, int batchSize) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be in [1, 10000]");
        }
        return tx.autoCommit("prune audit log", c -> auditLog.prune(c, olderThan, batchSize));
    }

    /** Records a call that was refused before reaching the queue (authorisation, rate limit). */
    public void auditDenied(Audit denied, String target, String reason) {
        tx.autoCommit("audit", c -> {
            auditLog.append(c, denied, target, Audit.DENIED, reason);
            return null;
        });
    }

    /** The audit log, newest first; {@code actor} null for everyone. */
    public List<AuditRecord> auditLog(String actor, Long beforeId, int limit) {
        if (limit < 1 || limit > JobRules.MAX_PAGE_SIZE) {
            throw new InvalidRequestException("page_size", "must be in [1, " + JobRules.MAX_PAGE_SIZE + "]");
        }
        return tx.autoCommit("read audit", c -> auditLog.list(c, actor, beforeId == null ? Long.MAX_VALUE : beforeId,
                limit));
    }

    /**
     * Runs a mutating unit of work with its audit record, in one transaction; a failure is recorded
     * against {@code failedTarget} (what the call was about), DENIED when over the quota.
     */
    private <T> T mutate(String what, java.util.function.Function<T, String> target, String failedTarget,
            Transactions.Work<T> work) {
        if (audit == null) {
            return tx.inTransaction(what, work);
        }
        try {
            return tx.inTransaction(what, c -> {
                T result = work.run(c);
                auditLog.append(c, audit, target.apply(result), Audit.OK, null);
                return result;
            });
        } catch (ConveyorException e) {
            auditFailure(e, failedTarget);
            throw e;
        }
    }

    private void auditFailure(ConveyorException e, String failedTarget) {
        if (audit != null && auditFailures) {
            try {
                tx.autoCommit("audit", c -> {
                    auditLog.append(c, audit, failedTarget,
                            e instanceof QuotaExceededException ? Audit.DENIED : Audit.FAILED, e.getMessage());
                    return null;
                });
            } catch (ConveyorException auditFailure) {
                e.addSuppressed(auditFailure);
            }
        }
    }

    public QueueManager(Database database) {
        this(database, QueueManagerConfig.DEFAULTS);
    }

    public Database database() {
        return database;
    }

    public QueueManagerConfig config() {
        return config;
    }

    /** The transaction runner, for job families that write their own rows with the same retry rules. */
    public Transactions transactions() {
        return tx;
    }

    // ---- submission

    /** Enqueues one job; idempotent on {@code (queue, idempotency_key)}. */
    public SubmitResult submit(NewJob job) {
        return submit(job, null);
    }

    /**
     * Enqueues one job with a family's own rows, in one transaction. A plain job (no family rows,
     * parent or dependencies) shares its transaction with concurrent submissions ({@link
     * GroupCommit}); should that group fail before its commit, the job is submitted again alone.
     */
    public SubmitResult submit(NewJob job, JobExtension extension) {
        boolean grouped = extension == null && groups != null && GroupCommit.accepts(job);
        SubmitResult r = grouped ? grouped(job) : null;
        if (r == null) {
            r = mutate("submit", res -> "job " + res.jobId() + (res.deduplicated() ? " (existing)" : ""),
                    "queue " + job.queue(), c -> {
                        if (!grouped) {
                            quota.take(1);
                        }
                        return submitter.submit(c, job, extension);
                    });
        }
        notifySubmitted(Set.of(job.queue()));
        return r;
    }

    /** The job submitted in a group (charged to the quota once); null when it must be submitted alone. */
    private SubmitResult grouped(NewJob job) {
        try {
            quota.take(1);
            return groups.submit(job, audit) instanceof GroupCommit.Answer.Done done ? done.result() : null;
        } catch (ConveyorException e) {
            auditFailure(e, "queue " + job.queue());
            throw e;
        }
    }

    /** Enqueues jobs in one transaction: all are accepted or none. Results in request order. */
    public List<SubmitResult> submitAll(List<NewJob> jobs) {
        if (jobs.size() > JobRules.MAX_BATCH_SIZE) {
            throw new InvalidRequestException("jobs", "at most " + JobRules.MAX_BATCH_SIZE + " per batch");
        }
        Set<String> queues = new LinkedHashSet<>();
        jobs.forEach(j -> queues.add(j.queue()));
        List<SubmitResult> results = mutate("submit", QueueManager::auditTarget, jobs.size() + " job(s)", c -> {
            quota.take(jobs.size());
            List<EventLog.StateChange> events = new ArrayList<>(jobs.size());
            List<SubmitResult> r = submitter.submitAll(c, jobs, events);
            // One multi-row INSERT for the whole batch's "submitted" events.
            JobSubmitter.endTransaction(c, events);
            return r;
        });
        notifySubmitted(queues);
        return results;
    }

    private static String auditTarget(List<SubmitResult> results) {
        List<Long> ids = results.stream().map(SubmitResult::jobId).toList();
        return ids.size() == 1 ? "job " + ids.get(0)
                : ids.isEmpty() ? null : ids.size() + " jobs " + ids.get(0) + ".." + ids.get(ids.size() - 1);
    }

    /**
     * Runs several submissions (a workflow: a parent, its children, their dependencies) in one
     * transaction. The work may run more than once after a deadlock: keep it free of side effects.
     */
    public <T> T inSubmitTransaction(Submitter.Work<T> work) {
        Set<String> queues = new LinkedHashSet<>();
        List<Long> ids = new ArrayList<>();
        T result = mutate("submit", r -> ids.size() == 1 ? "job " + ids.get(0)
                : ids.isEmpty() ? null : ids.size() + " jobs " + ids.get(0) + ".." + ids.get(ids.size() - 1),
                "workflow", c -> {
            queues.clear();
            ids.clear();
            List<EventLog.StateChange> events = new ArrayList<>();
            T done = work.run((job, ext) -> {
                queues.add(job.queue());
                SubmitResult r = submitter.submit(c, job, ext, events);
                ids.add(r.jobId());
                return r;
            });
            // Charged once the workflow's size is known, before commit: over the quota, none of it is
            // created. (A deadlock's re-run charges again: rare, and errs on the side of the limit.)
            quota.take(ids.size());
            // One multi-row INSERT for the whole batch's "submitted" events.
            JobSubmitter.endTransaction(c, events);
            return done;
        });
        notifySubmitted(queues);
        return result;
    }

    /** Called (on the submitting thread, after commit) with the queue of each submission. */
    public void addSubmitListener(Consumer<String> listener) {
        submitListeners.add(listener);
    }

    public void removeSubmitListener(Consumer<String> listener) {
        submitListeners.remove(listener);
    }

    private void notifySubmitted(Set<String> queues) {
        for (Consumer<String> l : submitListeners) {
            for (String q : queues) {
                try {
                    l.accept(q);
                } catch (RuntimeException e) {
                    log.warn("submit listener failed for queue {}", q, e);
                }
            }
        }
    }

    // ---- reads

    public JobSnapshot get(long jobId) {
        JobSnapshot s = tx.autoCommit("get job", c -> reader.get(c, jobId));
        if (s == null) {
            throw new JobNotFoundException(jobId);
        }
        return s;
    }

    public JobPage list(JobQuery query) {
        return tx.autoCommit("list jobs", c -> reader.list(c, query));
    }

    /**
     * Who submitted each existing job among {@code jobIds} (empty Optional: no identity); jobs that
     * do not exist are absent. What an edge checks a caller's references to other jobs against.
     */
    public Map<Long, Optional<String>> creators(Collection<Long> jobIds) {
        List<Long> ids = List.copyOf(new LinkedHashSet<>(jobIds));
        Map<Long, Optional<String>> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += JobRules.MAX_PAGE_SIZE) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + JobRules.MAX_PAGE_SIZE));
            out.putAll(tx.autoCommit("read creators", c -> reader.creators(c, chunk)));
        }
        return out;
    }

    public List<Long> dependencies(long jobId) {
        return tx.autoCommit("read dependencies", c -> reader.dependencies(c, jobId));
    }

    /** A job's history after {@code afterEventId}, oldest first. */
    public List<JobEventRecord> events(long jobId, long afterEventId, int limit) {
        return tx.autoCommit("read events", c -> reader.events(c, jobId, afterEventId, limit));
    }

    /**
     * The history of a job and of its workflow children after {@code afterEventId}, merged oldest
     * first: what a watch of a parent replays.
     */
    public List<JobEventRecord> eventsWithChildren(long jobId, long afterEventId, int limit) {
        return tx.autoCommit("read events", c -> reader.eventsWithChildren(c, jobId, afterEventId, limit));
    }

    /** Every job's history after {@code afterEventId}, oldest first: what a watcher tails. */
    public List<JobEventRecord> tailEvents(long afterEventId, int limit) {
        return tx.autoCommit("tail events", c -> reader.tail(c, afterEventId, limit));
    }

    /** The newest event id, 0 when there is none: where a new tail starts. */
    public long lastEventId() {
        return tx.autoCommit("read last event id", reader::lastEventId);
    }

    public List<QueueStats> queueStats() {
        return tx.autoCommit("read queue stats", reader::queueStats);
    }

    public Instant databaseNow() {
        return tx.autoCommit("read the database clock", reader::now);
    }

    // ---- the lease protocol (workers)

    public List<ClaimedJob> claim(ClaimRequest request) {
        if (!shortLeaseWarned && !database.config().bounds().outlastedBy(request.leaseDuration())) {
            shortLeaseWarned = true;
            log.warn("leases of {} do not outlast the database connection bounds ({}): a vanished worker's row "
                    + "locks may outlive its leases; lower the bounds or lengthen the lease", request.leaseDuration(),
                    database.config().bounds());
        }
        return tx.inTransaction("claim", c -> claimer.claim(c, request));
    }

    /** Renews the given leases of {@code owner} in one statement; says which are lost or cancelled. */
    public HeartbeatResult heartbeat(String owner, Collection<Lease> leaseSet, Duration leaseDuration) {
        if (leaseSet.isEmpty()) {
            return HeartbeatResult.NONE;
        }
        return tx.autoCommit("heartbeat", c -> leases.renew(c, owner, leaseSet, leaseDuration));
    }

    /**
     * Records finished executions, fenced by their leases, in one transaction: a success's own
     * writes ({@link Outcome#succeeded(byte[], TransactionalWork)}) commit exactly when its
     * completion does, and are rolled back when its lease was lost.
     */
    public CompletionResult complete(List<Completion> completions) {
        if (completions.isEmpty()) {
            return new CompletionResult(List.of(), List.of(), Map.of());
        }
        return tx.inTransaction("complete", c -> completer.completeBatch(c, completions));
    }


    /** Appends a handler's step to the job's history, fenced: false when the lease is lost. */
    public boolean recordEvent(Lease lease, EventDraft event, String worker) {
        return tx.autoCommit("record event", c -> steps.record(c, lease, event, worker));
    }

    /** Returns expired leases to READY (or DEAD when attempts are spent); at most {@code max}. */
    public int reapExpired(int max) {
        int n = tx.inTransaction("reap expired leases", c -> reaper.reap(c, max));
        if (n > 0) {
            log.info("reaped {} expired lease(s)", n);
        }
        return n;
    }

    // ---- control (operators)

    /**
     * Cancels a WAITING or READY job at once (and the jobs that depend on it); for a RUNNING job,
     * asks its worker to stop through the next heartbeat. Returns the state after the call.
     *
     * @throws IllegalJobStateException when the job has already ended
     */
    public JobState cancel(long jobId, String reason, String by) {
        return mutate("cancel", r -> "job " + jobId, "job " + jobId, c -> control.cancel(c, jobId, reason, by));
    }

    /**
     * Makes a DEAD or CANCELLED job READY (or WAITING on its dependencies) with fresh attempts.
     *
     * @throws IllegalJobStateException for any other state
     */
    public JobState retry(long jobId, String by) {
        JobState s = mutate("retry", r -> "job " + jobId, "job " + jobId, c -> {
            quota.take(1); // a retry runs a job again: it counts as one created
            return control.retry(c, jobId, by);
        });
        notifySubmitted(Set.of(get(jobId).queue()));
        return s;
    }

    /** @throws QueueNotFoundException when the queue holds no job and is not paused */
    public void pause(String queue, String by) {
        pause(queue, by, false);
    }

    /**
     * @param allowMissing pause a queue that holds no job yet (so its first jobs wait)
     * @throws QueueNotFoundException when not {@code allowMissing} and the queue holds no job and is not paused
     */
    public void pause(String queue, String by, boolean allowMissing) {
        JobRules.requireName("queue", queue);
        mutate("pause", r -> "queue " + queue, "queue " + queue, c -> {
            if (!allowMissing) {
                requireExists(c, queue);
            }
            pauses.pause(c, queue, by);
            return null;
        });
    }

    /** @throws QueueNotFoundException when the queue holds no job and is not paused */
    public void resume(String queue) {
        JobRules.requireName("queue", queue);
        mutate("resume", r -> "queue " + queue, "queue " + queue, c -> {
            requireExists(c, queue);
            pauses.resume(c, queue);
            return null;
        });
        notifySubmitted(Set.of(queue));
    }

    private void requireExists(java.sql.Connection c, String queue) throws java.sql.SQLException {
        if (!pauses.exists(c, queue)) {
            throw new QueueNotFoundException(queue);
        }
    }

    public boolean isPaused(String queue) {
        return tx.autoCommit("read pause", c -> pauses.isPaused(c, queue));
    }

    /** Deletes up to {@code batchSize} jobs that ended before now − {@code olderThan}, with their rows. */
    public int prune(Duration olderThan, int batchSize) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be in [1, 10000]");
        }
        // A batch's deletes may take longer than the pool's socket timeout allows a hot-path statement.
        return tx.inLongTransaction("prune", database.config().bounds().longStatementTimeout(),
                c -> pruner.pruneBatch(c, olderThan, batchSize));
    }

    // ---- worker registry

    public void registerWorker(WorkerInfo worker) {
        tx.autoCommit("register worker", c -> {
            registry.register(c, worker);
            return null;
        });
    }

    public void heartbeatWorker(String workerId) {
        tx.autoCommit("worker heartbeat", c -> {
            registry.heartbeat(c, workerId);
            return null;
        });
    }

    public void deregisterWorker(String workerId) {
        tx.autoCommit("deregister worker", c -> {
            registry.deregister(c, workerId);
            return null;
        });
    }

    public List<WorkerInfo> workers() {
        return tx.autoCommit("list workers", c -> registry.list(c, config.workerLiveness()));
    }
}
