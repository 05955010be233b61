package dev.conveyor.fault;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.proto.v1.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Operator calls raced against the workers: a cancel in the middle of a run, a retry at about the
 * moment the job it depends on completes. A race's delay is its schedule, not a wait.
 */
final class Races {
    private static final Duration START_WAIT = Duration.ofSeconds(120);

    private final FaultCluster cluster;

    Races(FaultCluster cluster) {
        this.cluster = cluster;
    }

    /** Waits until {@code id} left READY, lets it run {@code delay} ms, cancels it, and records the epoch it had then. */
    void cancelWhileRunning(FaultRun run, long id, long delay) {
        Conditions.await(START_WAIT, "job " + id + " running", () -> cluster.load.state(id) != JobState.JOB_STATE_READY);
        pause(delay);
        cancel(run, id);
    }

    /** Cancels {@code id} now, whatever its state, and records the epoch it had just after. */
    void cancel(FaultRun run, long id) {
        cluster.load.cancel(id, "cancel racing its run");
        run.cancelled(id, epoch(id));
    }

    /** A job that depends on a job of {@code millis}, cancelled (so that it can be retried); both in {@code run}. */
    long[] retryPair(FaultRun run, String key, long millis) {
        long dependency = cluster.load.submit(cluster.load.job(key + "-dep", String.valueOf(millis)).build());
        long dependent = cluster.load.submit(cluster.load.job(key + "-job", "200").addDependsOn(dependency).build());
        JobState cancelled = cluster.load.cancel(dependent, "to be retried");
        if (cancelled != JobState.JOB_STATE_CANCELLED) {
            run.problem("cancel of WAITING job " + dependent + " left it " + cancelled);
        }
        run.job(dependency);
        run.job(dependent);
        return new long[] {dependency, dependent};
    }

    /** Retries {@code dependent} {@code delay} ms after {@code dependency} started: about when it completes. */
    void retryAsItsDependencyCompletes(FaultRun run, long dependency, long dependent, long delay) {
        Conditions.await(START_WAIT, "job " + dependency + " running",
                () -> cluster.load.state(dependency) != JobState.JOB_STATE_READY);
        pause(delay);
        JobState after = cluster.load.retry(dependent);
        if (after == JobState.JOB_STATE_CANCELLED || after == JobState.JOB_STATE_DEAD) {
            run.problem("retry of " + dependent + " left it " + after);
        }
    }

    long epoch(long id) {
        try (Connection c = cluster.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT lease_epoch FROM job WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the lease epoch of job " + id, e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
