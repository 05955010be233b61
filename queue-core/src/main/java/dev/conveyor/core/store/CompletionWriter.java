package dev.conveyor.core.store;

import dev.conveyor.core.Completion;
import dev.conveyor.core.CompletionResult;
import dev.conveyor.core.JobState;
import dev.conveyor.core.Lease;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.RetryPolicy;
import dev.conveyor.core.SubmitLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records finished executions, every write fenced by {@code (id, lease_epoch, RUNNING)}.
 *
 * <p>One transaction for the whole batch, so one commit (one log flush) however many jobs: plain
 * successes in one multi-statement UPDATE; successes that carry the handler's own writes in one
 * more (after a savepoint), then the writes of each; only when one of those writes fails are they
 * redone one by one, each in a savepoint of its own; then one multi-row INSERT of events and
 * one query for followers (dependents, parents). Failures, cancellations and hand-backs read their
 * row under lock first, to choose READY or DEAD from its attempts (CANCELLED whatever they report
 * when a cancel was requested meanwhile); they are rare and go one by one in the same transaction.
 * A success whose result is over {@link SubmitLimits#maxResultBytes()} is recorded as a failure
 * that retrying cannot fix.
 */
public final class CompletionWriter {
    private final RetryPolicy defaultRetryPolicy;
    private final int maxResultBytes;

    public CompletionWriter(RetryPolicy defaultRetryPolicy, SubmitLimits limits) {
        this.defaultRetryPolicy = defaultRetryPolicy;
        this.maxResultBytes = limits.maxResultBytes();
    }

    /**
     * Completes what it can in one transaction; says which completions were applied (and the state
     * each left its job in) and which were lost.
     */
    public CompletionResult completeBatch(Connection c, List<Completion> completions) throws SQLException {
        List<Lease> applied = new ArrayList<>();
        Map<Long, JobState> ended = new LinkedHashMap<>();
        List<EventLog.StateChange> events = new ArrayList<>();
        List<Completion> plain = new ArrayList<>();
        List<Completion> withWork = new ArrayList<>();
        List<Completion> others = new ArrayList<>();
        for (Completion x : completions) {
            if (x.outcome() instanceof Outcome.Succeeded s && s.result() != null
                    && s.result().length > maxResultBytes) {
                // It could never be stored (or would fail the whole batch over the column or the
                // packet), and running the job again would bring the same result: DEAD at once.
                others.add(new Completion(x.lease(), Outcome.failed("its result of " + s.result().length
                        + " bytes is over the limit of " + maxResultBytes
                        + " bytes (results are bounded by the max payload size)"), x.worker()));
            } else if (x.outcome() instanceof Outcome.Succeeded s) {
                (s.work() == null ? plain : withWork).add(x);
            } else {
                others.add(x);
            }
        }
        if (!plain.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.COMPLETE_SUCCEEDED)) {
                for (Completion x : plain) {
                    bindSuccess(ps, x);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        succeeded(plain.get(i), applied, ended, events);
                    }
                }
            }
        }
        if (!withWork.isEmpty() && !completeAllWithWork(c, withWork, applied, ended, events)) {
            for (Completion x : withWork) {
                String failure = completeWithWork(c, x);
                if (failure == null) {
                    succeeded(x, applied, ended, events);
                } else if (!failure.isEmpty()) {
                    others.add(new Completion(x.lease(), Outcome.retry("completion work failed: " + failure),
                            x.worker()));
                }
            }
        }
        for (Completion x : others) {
            JobState next = settle(c, x, events);
            if (next != null) {
                applied.add(x.lease());
                if (next.isTerminal()) {
                    ended.put(x.lease().jobId(), next);
                }
            }
        }
        EventLog.append(c, events);
        if (!ended.isEmpty()) {
            Aftermath.jobsEnded(c, ended);
        }
        // One completion per job applies at most (its lease is current): an applied job that did
        // not end is READY again.
        Map<Lease, JobState> states = new LinkedHashMap<>();
        applied.forEach(l -> states.put(l, ended.getOrDefault(l.jobId(), JobState.READY)));
        List<Lease> lost = completions.stream().map(Completion::lease).filter(l -> !states.containsKey(l)).toList();
        return new CompletionResult(applied, lost, states);
    }

    private static void bindSuccess(PreparedStatement ps, Completion x) throws SQLException {
        ps.setBytes(1, ((Outcome.Succeeded) x.outcome()).result());
        ps.setLong(2, x.lease().jobId());
        ps.setLong(3, x.lease().epoch());
    }

    private static void succeeded(Completion x, List<Lease> applied, Map<Long, JobState> ended,
            List<EventLog.StateChange> events) {
        applied.add(x.lease());
        ended.put(x.lease().jobId(), JobState.SUCCEEDED);
        events.add(new EventLog.StateChange(x.lease().jobId(), JobState.SUCCEEDED, null, x.worker(), 0));
    }

    /**
     * The usual case of successes with the handler's own writes, in a few round trips: one
     * savepoint, one batched fenced update, then each handler's writes. False when a handler's
     * writes failed: everything since the savepoint is undone, and the caller completes the jobs
     * one by one instead, so that the failure undoes only its own job.
     */
    private static boolean completeAllWithWork(Connection c, List<Completion> withWork, List<Lease> applied,
            Map<Long, JobState> ended, List<EventLog.StateChange> events) throws SQLException {
        Savepoint before = c.setSavepoint();
        List<Completion> done = new ArrayList<>(withWork.size());
        try {
            try (PreparedStatement ps = c.prepareStatement(JobSql.COMPLETE_SUCCEEDED)) {
                for (Completion x : withWork) {
                    bindSuccess(ps, x);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        done.add(withWork.get(i));
                    }
                }
            }
            for (Completion x : done) {
                ((Outcome.Succeeded) x.outcome()).work().run(c);
            }
        } catch (SQLException e) {
            if (Transactions.isRetryable(e)) {
                throw e;
            }
            c.rollback(before);
            return false;
        } catch (RuntimeException e) {
            c.rollback(before);
            return false;
        }
        done.forEach(x -> succeeded(x, applied, ended, events));
        return true;
    }

    /**
     * A success whose handler has its own writes: the fenced update, then the writes, inside a
     * savepoint of the batch's transaction, so that they commit exactly when the completion does
     * and a failing handler write undoes only its own job.
     *
     * @return null when done; "" when the lease was lost; else why the handler's writes failed
     *         (the job is then retried)
     */
    private static String completeWithWork(Connection c, Completion x) throws SQLException {
        Savepoint before = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(JobSql.COMPLETE_SUCCEEDED)) {
            bindSuccess(ps, x);
            if (ps.executeUpdate() == 0) {
                return "";
            }
        }
        try {
            ((Outcome.Succeeded) x.outcome()).work().run(c);
            return null;
        } catch (SQLException e) {
            if (Transactions.isRetryable(e)) {
                throw e;
            }
            c.rollback(before);
            return e.getMessage();
        } catch (RuntimeException e) {
            c.rollback(before);
            return e.toString();
        }
    }

    /** Applies a non-success outcome; null when the lease was lost. */
    private JobState settle(Connection c, Completion x, List<EventLog.StateChange> events) throws SQLException {
        int attempt;
        int maxAttempts;
        boolean cancelRequested;
        try (PreparedStatement ps = c.prepareStatement(JobSql.LOCK_LEASED)) {
            ps.setLong(1, x.lease().jobId());
            ps.setLong(2, x.lease().epoch());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                attempt = rs.getInt(1);
                maxAttempts = rs.getInt(2);
                cancelRequested = rs.getBoolean(3);
            }
        }
        long id = x.lease().jobId();
        JobState next;
        String message;
        if (cancelRequested && !(x.outcome() instanceof Outcome.Cancelled)) {
            // A requested cancel wins over whatever else the handler reports (a failure, a hand-back
            // at shutdown): READY again with the request set, the job would run again and could
            // succeed. Only a success stands, since its work is done.
            message = "cancelled as requested while running; the handler reported " + reported(x.outcome());
            Aftermath.finish(c, id, JobState.CANCELLED, message);
            events.add(new EventLog.StateChange(id, JobState.CANCELLED, message, x.worker(), attempt));
            return JobState.CANCELLED;
        }
        switch (x.outcome()) {
            case Outcome.Retry r when attempt < maxAttempts -> {
                Duration delay = r.delay() != null ? r.delay() : defaultRetryPolicy.backoff(attempt);
                message = "attempt " + attempt + " of " + maxAttempts + " failed, retrying in " + delay + ": "
                        + r.reason();
                reschedule(c, id, delay, r.reason(), 0);
                next = JobState.READY;
            }
            case Outcome.Retry r -> {
                message = "attempt " + attempt + " of " + maxAttempts + " failed, no attempts left: " + r.reason();
                Aftermath.finish(c, id, JobState.DEAD, message);
                next = JobState.DEAD;
            }
            case Outcome.Failed f -> {
                message = "failed (not retryable): " + f.reason();
                Aftermath.finish(c, id, JobState.DEAD, message);
                next = JobState.DEAD;
            }
            case Outcome.Cancelled k -> {
                message = "cancelled: " + k.reason();
                Aftermath.finish(c, id, JobState.CANCELLED, message);
                next = JobState.CANCELLED;
            }
            case Outcome.Released rel -> {
                message = "handed back unfinished, attempt not spent: " + rel.reason();
                reschedule(c, id, Duration.ZERO, null, 1);
                next = JobState.READY;
            }
            case Outcome.Succeeded s -> throw new IllegalStateException("successes are completed in batch");
        }
        events.add(new EventLog.StateChange(id, next, message, x.worker(), attempt));
        return next;
    }

    private static String reported(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Retry r -> "a retryable failure: " + r.reason();
            case Outcome.Failed f -> "a failure: " + f.reason();
            case Outcome.Released r -> "a hand-back: " + r.reason();
            case Outcome.Cancelled k -> "a cancellation: " + k.reason();
            case Outcome.Succeeded s -> "a success";
        };
    }

    private static void reschedule(Connection c, long id, Duration delay, String error, int refund)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.RESCHEDULE)) {
            ps.setLong(1, delay.toNanos() / 1000);
            ps.setString(2, EventLog.clip(error));
            ps.setInt(3, refund);
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }
}
