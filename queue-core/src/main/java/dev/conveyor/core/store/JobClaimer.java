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
 *   <li>{@link JobSql#SELECT_CLAIMABLE}: candidates in index order, {@code FOR UPDATE SKIP LOCKED},
 *       none from a paused queue (it still accepts submissions);</li>
 *   <li>for candidates with a concurrency key: lock the key rows, count the key's RUNNING jobs,
 *       keep what fits and defer the rest briefly;</li>
 *   <li>{@link JobSql#MARK_CLAIMED}: one UPDATE by primary key (new epoch, expiry, attempt + 1);</li>
 *   <li>one multi-row INSERT of RUNNING events; commit.</li>
 * </ol>
 * Three round trips and a commit for the whole batch, however large.
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
        LocalDateTime expires = null;
        try (PreparedStatement ps = c.prepareStatement(JobSql.SELECT_CLAIMABLE)) {
            ps.setLong(1, request.leaseDuration().toNanos() / 1000);
            ps.setString(2, request.queue());
            ps.setString(3, request.queue());
            ps.setInt(4, request.maxJobs());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    expires = rs.getObject("expires", LocalDateTime.class);
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
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<ClaimedJob> granted = withinConcurrencyLimits(c, candidates);
        if (granted.isEmpty()) {
            return List.of();
        }
        List<Long> ids = granted.stream().map(ClaimedJob::id).toList();
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.MARK_CLAIMED, ids.size()))) {
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
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.LOCK_CONCURRENCY_KEYS, keys.size()))) {
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
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.COUNT_RUNNING_BY_KEY, keys.size()))) {
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
            try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.DEFER, deferred.size()))) {
                ps.setLong(1, concurrencyDeferral.toNanos() / 1000);
                Rows.bind(ps, 2, deferred);
                ps.executeUpdate();
            }
        }
        return granted;
    }
}
