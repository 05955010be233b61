package dev.conveyor.core.store;

import dev.conveyor.core.HeartbeatResult;
import dev.conveyor.core.JobState;
import dev.conveyor.core.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renews a pool's leases: one UPDATE for all of them. When it matches every lease, that is the
 * whole heartbeat. A shortfall (a lease reaped and re-claimed, a job cancelled) is rare, and only
 * then a second statement reads which leases are lost and which jobs were asked to cancel.
 */
public final class LeaseKeeper {

    public HeartbeatResult renew(Connection c, String owner, Collection<Lease> leases, Duration leaseDuration)
            throws SQLException {
        if (leases.isEmpty()) {
            return HeartbeatResult.NONE;
        }
        List<Lease> list = new ArrayList<>(leases);
        String placeholders = String.join(",", java.util.Collections.nCopies(list.size(), "?"));
        String pairs = String.join(",", java.util.Collections.nCopies(list.size(), "(?,?)"));
        String sql = JobSql.RENEW_LEASES.formatted(placeholders, pairs);
        int matched;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, leaseDuration.toNanos() / 1000);
            for (Lease l : list) {
                ps.setLong(i++, l.jobId());
            }
            for (Lease l : list) {
                ps.setLong(i++, l.jobId());
                ps.setLong(i++, l.epoch());
            }
            ps.setString(i++, owner);
            matched = ps.executeUpdate();
        }
        if (matched == list.size()) {
            return HeartbeatResult.NONE;
        }
        return classify(c, owner, list);
    }

    private static HeartbeatResult classify(Connection c, String owner, List<Lease> leases) throws SQLException {
        Set<Lease> lost = new HashSet<>(leases);
        Set<Lease> cancel = new HashSet<>();
        List<Long> ids = leases.stream().map(Lease::jobId).toList();
        try (PreparedStatement ps = c.prepareStatement(JobSql.in(JobSql.LEASE_STATES, ids.size()))) {
            Rows.bind(ps, 1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Lease current = new Lease(rs.getLong("id"), rs.getLong("lease_epoch"));
                    boolean ours = lost.contains(current) && owner.equals(rs.getString("lease_owner"))
                            && JobState.RUNNING.name().equals(rs.getString("state"));
                    if (ours) {
                        lost.remove(current);
                        if (rs.getBoolean("cancel_requested")) {
                            cancel.add(current);
                        }
                    }
                }
            }
        }
        return new HeartbeatResult(Set.copyOf(lost), Set.copyOf(cancel));
    }
}
