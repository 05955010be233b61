package dev.conveyor.core.store;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leases a batch of due jobs of one queue to one owner, in one READ COMMITTED transaction:
 *
 * <ol>
 *   <li>{@link ClaimSql#DUE_PRIORITIES}: which priorities have a due job (none while the queue is
 *       paused: it still accepts submissions), reading a couple of index entries per priority
 *       however many jobs wait in the future;</li>
 *   <li>{@link ClaimSql#CLAIM_DUE_AT_PRIORITY}, best priority first until the batch is full:
 *       candidates in index order, {@code FOR UPDATE SKIP LOCKED};</li>
 *   <li>for candidates with a concurrency key: lock the key rows, count the key's RUNNING jobs,
 *       keep what fits and defer the rest briefly;</li>
 *   <li>{@link ClaimSql#MARK_CLAIMED}: one UPDATE by primary key (new epoch, expiry, attempt + 1);</li>
 *   <li>one multi-row INSERT of RUNNING events; commit.</li>
 * </ol>
 * Four round trips (one more per further priority the batch reaches) and a commit for the whole
 * batch, however large; an idle claim is one read.
 */
public final class JobClaimer {
    private final Duration concurrencyDeferral;

    public JobClaimer(Duration concurrencyDeferral) {
        this.concurrencyDeferral = concurrencyDeferral;
    }

    private record Candidate(ClaimedJob job, String concurrencyKey) {
    }

    public List<ClaimedJob> claim(Connection c, ClaimRequest request) throws SQLException {
        List<Candidate> candidates = new ArrayList<>();
        for (int priority : duePriorities(c, request.queue())) {
            candidates.addAll(candidatesAt(c, request, priority, request.maxJobs() - candidates.size()));
            if (candidates.size() == request.maxJobs()) {
                break;
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<ClaimedJob> granted = withinConcurrencyLimits(c, candidates);
        if (granted.isEmpty()) {
            return List.of();
        }
        List<Long> ids = granted.stream().map(ClaimedJob::id).toList();
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(ClaimSql.MARK_CLAIMED, ids.size()))) {
            ps.setString(1, request.owner());
            ps.setLong(2, request.leaseDuration().toNanos() / 1000);
            Rows.bind(ps, 3, ids);
            ps.executeUpdate();
        }
        List<EventLog.StateChange> events = new ArrayList<>(granted.size());
        for (ClaimedJob j : granted) {
            events.add(new EventLog.StateChange(j.id(), JobState.RUNNING, null, request.owner(), j.attempt()));
        }
        EventLog.append(c, events);
        return granted;
    }

    /** The priorities with a due READY row, best first ({@link ClaimSql#DUE_PRIORITIES}); none while paused. */
    private static List<Integer> duePriorities(Connection c, String queue) throws SQLException {
        List<Integer> priorities = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(ClaimSql.DUE_PRIORITIES)) {
            ps.setString(1, queue);
            ps.setString(2, queue);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    priorities.add(rs.getInt(1));
                }
            }
        }
        priorities.sort(null);
        return priorities;
    }

    /** Up to {@code limit} due jobs of one priority, locked, oldest first. */
    private static List<Candidate> candidatesAt(Connection c, ClaimRequest request, int priority, int limit)
            throws SQLException {
        List<Candidate> candidates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(ClaimSql.CLAIM_DUE_AT_PRIORITY)) {
            ps.setLong(1, request.leaseDuration().toNanos() / 1000);
            ps.setString(2, request.queue());
            ps.setInt(3, priority);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDateTime expires = rs.getObject("expires", LocalDateTime.class);
                    candidates.add(new Candidate(new ClaimedJob(
                            rs.getLong("id"),
                            rs.getLong("lease_epoch") + 1,
                            request.queue(),
                            rs.getString("type"),
                            rs.getInt("attempt") + 1,
                            rs.getInt("max_attempts"),
                            rs.getBytes("payload"),
                            rs.getString("content_type"),
                            rs.getString("trace_parent"),
                            Rows.labels(rs.getString("labels")),
                            Rows.nullableLong(rs, "parent_id"),
                            Rows.instant(rs, "created_at"),
                            expires.toInstant(java.time.ZoneOffset.UTC)), rs.getString("concurrency_key")));
                }
            }
        }
        return candidates;
    }

    /**
     * Keeps, in claim order, the candidates whose key has room. The key rows are locked first, so
     * two claimers of one key count one after the other and never both take the last place.
     */
    private List<ClaimedJob> withinConcurrencyLimits(Connection c, List<Candidate> candidates) throws SQLException {
        List<String> keys = candidates.stream().map(Candidate::concurrencyKey)
                .filter(java.util.Objects::nonNull).distinct().sorted().toList();
        if (keys.isEmpty()) {
            return candidates.stream().map(Candidate::job).toList();
        }
        Map<String, Integer> room = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(ClaimSql.LOCK_CONCURRENCY_KEYS, keys.size()))) {
            for (int i = 0; i < keys.size(); i++) {
                ps.setString(i + 1, keys.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    room.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        Map<String, Long> running = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(ClaimSql.COUNT_RUNNING_BY_KEY, keys.size()))) {
            for (int i = 0; i < keys.size(); i++) {
                ps.setString(i + 1, keys.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    running.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        room.replaceAll((k, max) -> (int) Math.max(0, max - running.getOrDefault(k, 0L)));
        List<ClaimedJob> granted = new ArrayList<>();
        List<Long> deferred = new ArrayList<>();
        for (Candidate cand : candidates) {
            String key = cand.concurrencyKey();
            if (key == null) {
                granted.add(cand.job());
            } else if (room.getOrDefault(key, 0) > 0) {
                room.merge(key, -1, Integer::sum);
                granted.add(cand.job());
            } else {
                deferred.add(cand.job().id());
            }
        }
        if (!deferred.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(JobSql.in(ClaimSql.DEFER, deferred.size()))) {
                ps.setLong(1, concurrencyDeferral.toNanos() / 1000);
                Rows.bind(ps, 2, deferred);
                ps.executeUpdate();
            }
        }
        return granted;
    }
}
