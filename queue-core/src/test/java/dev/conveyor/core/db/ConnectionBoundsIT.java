package dev.conveyor.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.FaultProxy;
import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client whose path to the database goes half-open, or whose host loses power, while it holds
 * row locks in a transaction: its rows are free for everyone else within one lease. The client
 * reaches the database through a {@link FaultProxy}; the others connect directly.
 */
@ExtendWith(TestDatabase.class)
class ConnectionBoundsIT {
    private static final ConnectionBounds TIGHT = ConnectionBounds.of(Duration.ofSeconds(3), Duration.ofSeconds(1),
            Duration.ofSeconds(2));
    /** The lease these bounds serve (they fit it); a vanished client's rows must be free within it. */
    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final int JOBS = 5;

    private static int port(String jdbcUrl) {
        Matcher m = Pattern.compile("//[^/:]+:(\\d+)/").matcher(jdbcUrl);
        assertThat(m.find()).as("a port in " + jdbcUrl).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static Database throughProxy(TestDb db, FaultProxy proxy) {
        return Database.open(new DatabaseConfig(proxy.through(db.jdbcUrl()), db.user(), db.password(), 4,
                DatabaseConfig.DEFAULT_CONNECT_TIMEOUT, true, List.of(), List.of(), TIGHT));
    }

    private static void submit(QueueManager m, String queue) {
        m.submitAll(IntStream.range(0, JOBS).mapToObj(i -> Jobs.noop(queue)).toList());
    }

    /** The client's own transaction locks every job of the queue, and stays open. */
    private static Connection lockAll(Database client, String queue) throws SQLException {
        Connection c = client.dataSource().getConnection();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM job WHERE queue = '" + queue + "' FOR UPDATE")) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            assertThat(n).isEqualTo(JOBS);
        }
        return c;
    }

    /** Claims every job of {@code queue} from another client, waiting at most one lease. */
    private static void claimAllWithinALease(QueueManager direct, String queue) {
        List<Long> claimed = new ArrayList<>();
        long from = System.nanoTime();
        Conditions.await(LEASE, "another client to claim the " + JOBS + " jobs the vanished client had locked", () -> {
            direct.claim(new ClaimRequest(queue, "other", JOBS, Duration.ofMinutes(1))).stream()
                    .map(ClaimedJob::id).forEach(claimed::add);
            return claimed.size() == JOBS;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - from)).isLessThan(LEASE);
    }

    @Test
    void theBoundsFitTheLeaseTheseTestsUse() {
        assertThat(TIGHT.outlastedBy(LEASE)).isTrue();
        assertThat(TIGHT.recoveryBound()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aHalfOpenPathFailsTheClientsStatementAndFreesItsRowsWithinALease(TestDb db) throws Exception {
        QueueManager direct = new QueueManager(db.open());
        submit(direct, "half-open");
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (FaultProxy proxy = FaultProxy.start(port(db.jdbcUrl())); Database client = throughProxy(db, proxy)) {
            Connection c = lockAll(client, "half-open");
            assertThat(direct.claim(new ClaimRequest("half-open", "other", JOBS, LEASE))).isEmpty();

            proxy.blackhole();
            long frozenAt = System.nanoTime();
            Future<?> next = thread.submit(() -> {
                try (Statement s = c.createStatement()) {
                    s.executeQuery("SELECT 1");
                }
                return null;
            });
            claimAllWithinALease(direct, "half-open");
            // The client's own statement ends with an error after its socket timeout, not a hang.
            Throwable failure = catchThrowable(() -> next.get(TIGHT.socketTimeout().plusSeconds(5).toMillis(),
                    TimeUnit.MILLISECONDS));
            assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - frozenAt))
                    .isLessThan(TIGHT.socketTimeout().plusSeconds(5));
            c.close();
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aClientHostThatLostPowerHoldsItsRowsNoLongerThanALease(TestDb db) throws Exception {
        QueueManager direct = new QueueManager(db.open());
        submit(direct, "power-lost");
        try (FaultProxy proxy = FaultProxy.start(port(db.jdbcUrl())); Database client = throughProxy(db, proxy)) {
            lockAll(client, "power-lost");
            assertThat(direct.claim(new ClaimRequest("power-lost", "other", JOBS, LEASE))).isEmpty();
            // The client is gone; the database's side of its connection stays open, in its transaction.
            proxy.loseClients();
            claimAllWithinALease(direct, "power-lost");
        }
    }

    @Test
    void pooledSessionsCarryTheBoundsAndOutliveIdlenessOutsideATransaction(TestDb db) throws Exception {
        Database database = Database.open(db.config().withBounds(TIGHT));
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            boolean mariadb = database.family().kind() == ServerFamily.Kind.MARIADB;
            try (ResultSet rs = s.executeQuery("SELECT @@session.innodb_lock_wait_timeout, "
                    + (mariadb ? "@@session.idle_transaction_timeout" : "@@session.wait_timeout")
                    + ", CONNECTION_ID()")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getLong(2)).isEqualTo(2);
                long id = rs.getLong(3);
                c.commit();
                if (mariadb) {
                    // Idle past the limit, but outside a transaction: MariaDB keeps the session.
                    Conditions.await(Duration.ofSeconds(20), "the pooled session to idle for 3 s",
                            () -> db.queryLong("SELECT COALESCE(MAX(TIME), 0) FROM information_schema.processlist "
                                    + "WHERE id = ?", id) >= 3);
                    try (ResultSet again = s.executeQuery("SELECT CONNECTION_ID()")) {
                        again.next();
                        assertThat(again.getLong(1)).isEqualTo(id);
                    }
                }
            }
        } finally {
            database.close();
        }
    }
}
