package dev.conveyor.device;

import dev.conveyor.core.Lease;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.TransactionalWork;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Commits a handler's own rows while its lease is still current, for the outcomes that carry no
 * work of their own: a failed check must still leave its expected and observed values behind.
 * (A success passes the same work to {@code Outcome.succeeded(result, work)} instead, which
 * commits it with the completion.)
 *
 * <p>The job row is locked first: a reaper or a canceller that takes the lease away waits for this
 * transaction or has already moved the epoch on, in which case nothing is written.
 */
public final class FencedWrite {
    private static final String LOCK_CURRENT_LEASE = """
            SELECT id FROM job WHERE id = ? AND lease_epoch = ? AND state = 'RUNNING' FOR UPDATE""";

    private FencedWrite() {
    }

    /** @return false when the lease was lost and nothing was written */
    public static boolean run(QueueManager queue, Lease lease, TransactionalWork work) {
        return queue.transactions().inTransaction("write check results", c -> {
            try (PreparedStatement ps = c.prepareStatement(LOCK_CURRENT_LEASE)) {
                ps.setLong(1, lease.jobId());
                ps.setLong(2, lease.epoch());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            work.run(c);
            return true;
        });
    }
}
