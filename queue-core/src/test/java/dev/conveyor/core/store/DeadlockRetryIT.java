package dev.conveyor.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A deadlock forced between two transactions is retried inside the store and never surfaces. */
@ExtendWith(TestDatabase.class)
class DeadlockRetryIT {

    @Test
    void aForcedDeadlockIsRetriedAndInvisible(TestDb db) throws Exception {
        Transactions tx = new Transactions(db.open().dataSource());
        db.update("CREATE TABLE pair (id INT PRIMARY KEY, n INT NOT NULL)");
        db.update("INSERT INTO pair VALUES (1, 0), (2, 0)");
        // Both transactions take their first lock, meet at the barrier, then ask for each other's row.
        // Only the first run of each meets at the barrier; the retry after the deadlock goes straight on.
        CyclicBarrier bothLocked = new CyclicBarrier(2);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Integer> ab = pool.submit(() -> tx.inTransaction("a then b", c -> crossing(c, 1, 2, bothLocked, runs)));
        Future<Integer> ba = pool.submit(() -> tx.inTransaction("b then a", c -> crossing(c, 2, 1, bothLocked, runs)));
        assertThat(ab.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(ba.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        pool.shutdown();

        assertThat(tx.retriedTransactions()).isGreaterThanOrEqualTo(1);
        assertThat(runs.get()).isGreaterThanOrEqualTo(3);
        // Each transaction's effect landed exactly once.
        assertThat(db.queryLong("SELECT SUM(n) FROM pair")).isEqualTo(4);
    }

    private static int crossing(Connection c, int first, int second, CyclicBarrier barrier, AtomicInteger runs)
            throws SQLException {
        boolean firstRun = runs.incrementAndGet() <= 2;
        bump(c, first);
        if (firstRun) {
            try {
                barrier.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        bump(c, second);
        return 1;
    }

    private static void bump(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pair SET n = n + 1 WHERE id = ?")) {
            ps.setInt(1, id);
            ps.executeUpdate();
        }
    }
}
