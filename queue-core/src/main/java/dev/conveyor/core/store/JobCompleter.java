package dev.conveyor.core.store;

import dev.conveyor.core.Completion;
import dev.conveyor.core.JobState;
import dev.conveyor.core.Lease;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.RetryPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records finished executions, every write fenced by {@code (id, lease_epoch, RUNNING)}.
 *
 * <p>The common case, a plain success, is batched: one multi-statement UPDATE for the batch, one
 * multi-row INSERT of events, one query for followers (dependents, parents), one commit. Failures,
 * cancellations and hand-backs read their row under lock first, to choose READY or DEAD from its
 * attempts; they are rare and go one by one in the same transaction.
 */
public final class JobCompleter {
    private final RetryPolicy defaultRetryPolicy;

    public JobCompleter(RetryPolicy defaultRetryPolicy) {
        this.defaultRetryPolicy = defaultRetryPolicy;
    }

    /** Completes what it can in one transaction; returns the leases that were applied. */
    public List<Lease> completeBatch(Connection c, List<Completion> completions) throws SQLException {
        List<Lease> applied = new ArrayList<>();
        Map<Long, JobState> ended = new LinkedHashMap<>();
        List<EventLog.StateChange> events = new ArrayList<>();
        List<Completion> successes = completions.stream()
                .filter(x -> x.outcome() instanceof Outcome.Succeeded).toList();
        if (!successes.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.COMPLETE_SUCCEEDED)) {
                for (Completion x : successes) {
                    ps.setBytes(1, ((Outcome.Succeeded) x.outcome()).result());
                    ps.setLong(2, x.lease().jobId());
                    ps.setLong(3, x.lease().epoch());
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        Completion x = successes.get(i);
                        applied.add(x.lease());
                        ended.put(x.lease().jobId(), JobState.SUCCEEDED);
                        events.add(new EventLog.StateChange(x.lease().jobId(), JobState.SUCCEEDED, null, x.worker(), 0));
                    }
                }
            }
        }
        for (Completion x : completions) {
            if (!(x.outcome() instanceof Outcome.Succeeded)) {
                JobState next = settle(c, x, events);
                if (next != null) {
                    applied.add(x.lease());
                    if (next.isTerminal()) {
                        ended.put(x.lease().jobId(), next);
                    }
                }
            }
        }
        EventLog.append(c, events);
        if (!ended.isEmpty()) {
            Aftermath.jobsEnded(c, ended);
        }
        return applied;
    }

    /**
     * A success whose handler has its own writes: fenced update, then the writes, in one
     * transaction. Returns false (and the caller rolls back) when the lease was lost.
     */
    public boolean completeWithWork(Connection c, Completion x) throws SQLException {
        Outcome.Succeeded s = (Outcome.Succeeded) x.outcome();
        try (PreparedStatement ps = c.prepareStatement(JobSql.COMPLETE_SUCCEEDED)) {
            ps.setBytes(1, s.result());
            ps.setLong(2, x.lease().jobId());
            ps.setLong(3, x.lease().epoch());
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        s.work().run(c);
        EventLog.append(c, x.lease().jobId(), JobState.SUCCEEDED, null, x.worker(), 0);
        Aftermath.jobsEnded(c, Map.of(x.lease().jobId(), JobState.SUCCEEDED));
        return true;
    }

    /** Applies a non-success outcome; null when the lease was lost. */
    private JobState settle(Connection c, Completion x, List<EventLog.StateChange> events) throws SQLException {
        int attempt;
        int maxAttempts;
        try (PreparedStatement ps = c.prepareStatement(JobSql.LOCK_LEASED)) {
            ps.setLong(1, x.lease().jobId());
            ps.setLong(2, x.lease().epoch());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                attempt = rs.getInt(1);
                maxAttempts = rs.getInt(2);
            }
        }
        long id = x.lease().jobId();
        JobState next;
        String message;
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
