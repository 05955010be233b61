package dev.conveyor.core.store;

import dev.conveyor.core.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What follows the end of jobs, in the transaction that ended them: a WAITING job whose
 * dependencies have all SUCCEEDED (and, for a parent, whose children have all ended) becomes
 * READY; one whose dependency ended DEAD or CANCELLED is CANCELLED with that reason, and that
 * cancellation ripples on to its own dependents.
 *
 * <p>Why this is race-free: the waiting rows are locked ({@code FOR UPDATE}) before their
 * dependencies are counted. Two dependencies that end at once in two transactions both lock the
 * dependent; the second waits for the first to commit, then (READ COMMITTED) sees both ended.
 * A dependent inserted concurrently holds a share lock on its dependencies until it commits
 * (see {@link JobSubmitter}), so the ending transaction waits for it and then finds it.
 */
final class Aftermath {
    /** A cancellation chain longer than this is a cycle or a mistake; it stops there. */
    private static final int MAX_DEPTH = 1000;

    private Aftermath() {
    }

    /** @return the jobs that became READY */
    static List<Long> jobsEnded(Connection c, Map<Long, JobState> ended) throws SQLException {
        List<Long> promoted = new ArrayList<>();
        Map<Long, JobState> pending = ended;
        for (int depth = 0; !pending.isEmpty() && depth < MAX_DEPTH; depth++) {
            List<Long> endedIds = new ArrayList<>(pending.keySet());
            Set<Long> candidates = followers(c, endedIds);
            if (candidates.isEmpty()) {
                break;
            }
            Map<Long, Boolean> waiting = lockWaiting(c, new ArrayList<>(candidates));
            if (waiting.isEmpty()) {
                break;
            }
            List<Long> waitingIds = new ArrayList<>(waiting.keySet());
            Map<Long, List<Blocker>> unmet = unmetDependencies(c, waitingIds);
            Map<Long, Long> pendingChildren = pendingChildren(c, waitingIds);
            Map<Long, JobState> next = new LinkedHashMap<>();
            List<EventLog.StateChange> events = new ArrayList<>();
            for (long id : waitingIds) {
                List<Blocker> blockers = unmet.getOrDefault(id, List.of());
                Blocker failed = blockers.stream().filter(b -> b.state().isTerminal()).findFirst().orElse(null);
                if (failed != null) {
                    String reason = "cancelled: dependency job " + failed.jobId() + " ended " + failed.state();
                    finish(c, id, JobState.CANCELLED, reason);
                    events.add(new EventLog.StateChange(id, JobState.CANCELLED, reason, null, 0));
                    next.put(id, JobState.CANCELLED);
                } else if (blockers.isEmpty() && (!waiting.get(id) || pendingChildren.getOrDefault(id, 0L) == 0)) {
                    try (PreparedStatement ps = c.prepareStatement(JobSql.MAKE_READY)) {
                        ps.setLong(1, id);
                        ps.executeUpdate();
                    }
                    events.add(new EventLog.StateChange(id, JobState.READY,
                            waiting.get(id) ? "all children ended" : "all dependencies succeeded", null, 0));
                    promoted.add(id);
                }
            }
            EventLog.append(c, events);
            pending = next;
        }
        return promoted;
    }

    private static Set<Long> followers(Connection c, List<Long> ended) throws SQLException {
        String sql = JobSql.in(JobSql.FOLLOWERS, ended.size());
        Set<Long> ids = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.bind(ps, 1, ended);
            Rows.bind(ps, 1 + ended.size(), ended);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static Map<Long, Boolean> lockWaiting(Connection c, List<Long> ids) throws SQLException {
        Map<Long, Boolean> waiting = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.LOCK_WAITING, ids.size()))) {
            Rows.bind(ps, 1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waiting.put(rs.getLong(1), rs.getBoolean(2));
                }
            }
        }
        return waiting;
    }

    /** A dependency that has not SUCCEEDED (yet, or ever when its state is terminal). */
    private record Blocker(long jobId, JobState state) {
    }

    /** Per waiting job, its dependencies that have not SUCCEEDED. */
    private static Map<Long, List<Blocker>> unmetDependencies(Connection c, List<Long> ids) throws SQLException {
        Map<Long, List<Blocker>> unmet = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.UNMET_DEPENDENCIES, ids.size()))) {
            Rows.bind(ps, 1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unmet.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new Blocker(rs.getLong(2), JobState.valueOf(rs.getString(3))));
                }
            }
        }
        return unmet;
    }

    private static Map<Long, Long> pendingChildren(Connection c, List<Long> ids) throws SQLException {
        Map<Long, Long> pending = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.PENDING_CHILDREN, ids.size()))) {
            Rows.bind(ps, 1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return pending;
    }

    static void finish(Connection c, long id, JobState state, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.FINISH)) {
            ps.setString(1, state.name());
            ps.setString(2, EventLog.clip(reason));
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }
}
