package dev.conveyor.core.store;

import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobPage;
import dev.conveyor.core.JobQuery;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.QueueStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads for listings, watchers and gauges. Lists are newest first with keyset pagination on the
 * id ({@code id < cursor}), so a page costs the same on the millionth job as on the first; the
 * WHERE clause holds only the filters given, so MySQL can use {@code ix_job_list (queue, id)}.
 */
public final class JobReader {

    public JobPage list(Connection c, JobQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder(JobSql.SELECT_JOB_COLUMNS).append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.queue() != null) {
            sql.append(" AND queue = ?");
            args.add(q.queue());
        }
        if (q.state() != null) {
            sql.append(" AND state = ?");
            args.add(q.state().name());
        }
        if (q.type() != null) {
            sql.append(" AND type = ?");
            args.add(q.type());
        }
        if (q.createdFrom() != null) {
            sql.append(" AND created_at >= ?");
            args.add(Rows.utc(q.createdFrom()));
        }
        if (q.createdTo() != null) {
            sql.append(" AND created_at < ?");
            args.add(Rows.utc(q.createdTo()));
        }
        if (q.parentId() != null) {
            sql.append(" AND parent_id = ?");
            args.add(q.parentId());
        }
        if (q.labelKey() != null) {
            sql.append(" AND id IN (SELECT job_id FROM job_label WHERE name = ?");
            args.add(q.labelKey());
            if (q.labelValue() != null) {
                sql.append(" AND value = ?");
                args.add(q.labelValue());
            }
            sql.append(')');
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < ?");
            args.add(q.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.pageSize() + 1);
        List<JobSnapshot> jobs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(Rows.snapshot(rs));
                }
            }
        }
        if (jobs.size() > q.pageSize()) {
            jobs = jobs.subList(0, q.pageSize());
            return new JobPage(List.copyOf(jobs), jobs.get(jobs.size() - 1).id());
        }
        return new JobPage(List.copyOf(jobs), null);
    }

    public JobSnapshot get(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.SELECT_JOB_COLUMNS + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.snapshot(rs) : null;
            }
        }
    }

    /** The submitter of each job of {@code ids} that exists (a null submitter as an empty Optional). */
    public Map<Long, Optional<String>> creators(Connection c, List<Long> ids) throws SQLException {
        Map<Long, Optional<String>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.CREATORS_OF, ids.size()))) {
            Rows.bind(ps, 1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), Optional.ofNullable(rs.getString(2)));
                }
            }
        }
        return out;
    }

    public List<Long> dependencies(Connection c, long id) throws SQLException {
        List<Long> deps = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.DEPENDENCIES_OF)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deps.add(rs.getLong(1));
                }
            }
        }
        return deps;
    }

    public List<JobEventRecord> events(Connection c, long jobId, long afterId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.EVENTS_OF_JOB)) {
            ps.setLong(1, jobId);
            ps.setLong(2, afterId);
            ps.setInt(3, limit);
            return events(ps);
        }
    }

    /** The history of a job and of its children (a workflow), merged in event order. */
    public List<JobEventRecord> eventsWithChildren(Connection c, long jobId, long afterId, int limit)
            throws SQLException {
        List<Long> jobs = new ArrayList<>();
        jobs.add(jobId);
        try (PreparedStatement ps = c.prepareStatement(JobSql.CHILDREN_OF)) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(rs.getLong(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.EVENTS_OF_JOBS, jobs.size()))) {
            int i = 1;
            for (long job : jobs) {
                ps.setLong(i++, job);
            }
            ps.setLong(i++, afterId);
            ps.setInt(i, limit);
            return events(ps);
        }
    }

    public List<JobEventRecord> tail(Connection c, long afterId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.EVENTS_AFTER)) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            return events(ps);
        }
    }

    private static List<JobEventRecord> events(PreparedStatement ps) throws SQLException {
        List<JobEventRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Rows.event(rs));
            }
        }
        return out;
    }

    public java.time.Instant now(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.NOW); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC);
        }
    }

    public long lastEventId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.LAST_EVENT_ID); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One grouped query for depth, one per queue for the oldest due job, one for pauses. */
    public List<QueueStats> queueStats(Connection c) throws SQLException {
        Map<String, Map<JobState, Long>> depth = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.DEPTH_BY_QUEUE_AND_STATE);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                depth.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(JobState.class))
                        .put(JobState.valueOf(rs.getString(2)), rs.getLong(3));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.QUEUES_WITH_JOBS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                depth.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(JobState.class));
            }
        }
        Set<String> paused = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.PAUSED_QUEUES); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                paused.add(rs.getString(1));
                depth.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(JobState.class));
            }
        }
        List<QueueStats> stats = new ArrayList<>();
        for (var e : depth.entrySet()) {
            Duration oldest = Duration.ZERO;
            if (e.getValue().getOrDefault(JobState.READY, 0L) > 0) {
                try (PreparedStatement ps = c.prepareStatement(ClaimSql.OLDEST_DUE_READY)) {
                    ps.setString(1, e.getKey());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getObject(1) != null) {
                            oldest = Duration.ofNanos(Math.max(0, rs.getLong(1)) * 1000);
                        }
                    }
                }
            }
            Map<JobState, Long> byState = new EnumMap<>(JobState.class);
            for (JobState s : List.of(JobState.WAITING, JobState.READY, JobState.RUNNING, JobState.DEAD)) {
                byState.put(s, e.getValue().getOrDefault(s, 0L));
            }
            stats.add(new QueueStats(e.getKey(), Map.copyOf(byState), oldest, paused.contains(e.getKey())));
        }
        return stats;
    }
}
