package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.FaultProxy;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Self-fencing: a pool whose path to the database stalls (a {@link FaultProxy} holds every byte,
 * so its heartbeat neither fails nor returns) stops its handler before the database can give the
 * job to anyone else, so two executions of one job never overlap.
 */
@ExtendWith(TestDatabase.class)
class WorkerPoolFenceIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long NOT_YET = Long.MIN_VALUE;

    private final TestDb db;
    private final QueueManager direct;

    WorkerPoolFenceIT(TestDb db) {
        this.db = db;
        this.direct = new QueueManager(db.open());
    }

    @Test
    void aHandlerWhoseLeaseCannotBeRenewedIsStoppedBeforeTheDatabaseLetsAnotherWorkerTakeTheJob() throws Exception {
        String queue = "fenced";
        CountDownLatch started = new CountDownLatch(1);
        // Both executions' moments on this JVM's monotonic clock: one timeline for both workers.
        AtomicLong firstEnded = new AtomicLong(NOT_YET);
        long id = direct.submit(NewJob.builder(queue, "long").build()).jobId();
        // A 3 s lease renewed every second; margin 500 ms grace + 150 ms ticks + 100 ms + 3 ms = 753 ms.
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withSlots(1).withLeaseDuration(Duration.ofSeconds(3))
                .withStopGrace(Duration.ofMillis(500));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (FaultProxy proxy = FaultProxy.start(URI.create(db.jdbcUrl().substring("jdbc:".length())).getPort());
                Database viaProxy = Database.open(DatabaseConfig.of(proxy.through(db.jdbcUrl()), db.user(),
                        db.password()))) {
            WorkerPool pool = WorkerPool.builder(new QueueManager(viaProxy), config).owner("first")
                    .meterRegistry(meters).handler("long", ctx -> {
                        started.countDown();
                        try {
                            Thread.sleep(Duration.ofMinutes(5)); // pushing configuration to a switch
                            return Outcome.succeeded();
                        } catch (InterruptedException e) {
                            firstEnded.set(System.nanoTime());
                            throw e;
                        }
                    }).build();
            try {
                pool.start();
                assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
                Timestamp claimed = expiry(id).expires();
                Conditions.await(DEADLINE, "a heartbeat to renew the lease",
                        () -> expiry(id).expires().after(claimed));

                proxy.blackhole();

                // Another worker reaps and claims the job as soon as the database lets it.
                Expiry lastSeen = null;
                long beforeSecondClaim = NOT_YET;
                long giveUp = System.nanoTime() + DEADLINE.toNanos();
                while (beforeSecondClaim == NOT_YET) {
                    assertThat(System.nanoTime() - giveUp).as("the job reaped and claimed again in time").isNegative();
                    Expiry seen = expiry(id);
                    if (seen.expires() != null) {
                        lastSeen = seen;
                    }
                    direct.reapExpired(10);
                    long before = System.nanoTime();
                    List<ClaimedJob> second = direct.claim(new ClaimRequest(queue, "second", 1, Duration.ofMinutes(1)));
                    if (!second.isEmpty()) {
                        assertThat(second.getFirst().id()).isEqualTo(id);
                        beforeSecondClaim = before;
                    } else {
                        TimeUnit.MILLISECONDS.sleep(20); // polling the database, as a worker's claimer does
                    }
                }

                long ended = firstEnded.get();
                assertThat(ended).as("the first handler ended before the second worker's claim was sent")
                        .isNotEqualTo(NOT_YET).isLessThan(beforeSecondClaim);
                // The database's expiry on this JVM's clock, at its earliest: the read that returned it
                // began at lastSeen.readSent, and its NOW(6) was taken no earlier than that.
                long expiryAtEarliest = lastSeen.readSent()
                        + TimeUnit.MICROSECONDS.toNanos(lastSeen.microsLeft());
                assertThat(ended).as("the first handler ended before its lease's expiry in the database")
                        .isLessThan(expiryAtEarliest);
                Conditions.await(DEADLINE, "the fenced lease given up and counted",
                        () -> pool.leasesHeld() == 0
                                && meters.get("conveyor.worker.lease.fenced").counter().count() == 1.0
                                && meters.get("conveyor.worker.lease.losses").counter().count() == 1.0);
            } finally {
                proxy.pass();
                pool.close();
            }
        }
        assertThat(direct.get(id).leaseOwner()).isEqualTo("second");
        assertThat(direct.get(id).attempt()).isEqualTo(2);
    }

    /** The job's lease expiry and the database's clock, with the local time the read was sent. */
    private record Expiry(Timestamp expires, long microsLeft, long readSent) {
    }

    private Expiry expiry(long id) {
        long sent = System.nanoTime();
        Map<String, Object> row = db.queryRows("""
                SELECT lease_expires_at AS expires,
                       TIMESTAMPDIFF(MICROSECOND, NOW(6), lease_expires_at) AS micros_left
                FROM job WHERE id = ?""", id).getFirst();
        Object left = row.get("micros_left");
        return new Expiry(toTimestamp(row.get("expires")), left == null ? 0 : ((Number) left).longValue(),
                sent);
    }

    private static Timestamp toTimestamp(Object value) {
        if (value instanceof java.time.LocalDateTime t) {
            return Timestamp.valueOf(t);
        }
        return (Timestamp) value;
    }
}
