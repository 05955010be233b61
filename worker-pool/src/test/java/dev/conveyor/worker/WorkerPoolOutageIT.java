package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
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
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pool whose database is unreachable for a while (a failover) when its handler finishes: the
 * completion is recorded once the database is back, as long as that is within the lease.
 */
@ExtendWith(TestDatabase.class)
class WorkerPoolOutageIT {
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    /** Longer than the 1.5 s a completion used to be retried for, well within the 8 s lease. */
    private static final Duration OUTAGE = Duration.ofMillis(3_500);

    private final TestDb db;
    private final QueueManager direct;
    private final ExecutionLog executions;

    WorkerPoolOutageIT(TestDb db) {
        this.db = db;
        this.direct = new QueueManager(db.open());
        this.executions = new ExecutionLog(db);
    }

    @Test
    void aCompletionDuringAnOutageShorterThanTheLeaseLandsOnceAndTheJobDoesNotRunAgain() throws Exception {
        String queue = "outage";
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        long id = direct.submit(NewJob.builder(queue, "work").build()).jobId();
        WorkerPoolConfig config = WorkerPoolConfig.of(queue).withSlots(1).withLeaseDuration(Duration.ofSeconds(8))
                .withHeartbeatInterval(Duration.ofSeconds(2)).withStopGrace(Duration.ofMillis(500));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int databasePort = URI.create(db.jdbcUrl().substring("jdbc:".length())).getPort();
        try (FaultProxy proxy = FaultProxy.start(databasePort);
                // Connections fail within 250 ms while the database is away, as they would against a
                // refusing address: the retries are counted in tries, not in connection timeouts.
                Database viaProxy = Database.open(new DatabaseConfig(proxy.through(db.jdbcUrl()), db.user(),
                        db.password(), DatabaseConfig.DEFAULT_POOL_SIZE, Duration.ofMillis(250), true, List.of(),
                        List.of()));
                WorkerPool pool = WorkerPool.builder(new QueueManager(viaProxy), config).meterRegistry(meters)
                        .handler("work", ctx -> {
                            started.countDown();
                            finish.await();
                            return Outcome.succeeded(null, ExecutionLog.record(ctx));
                        }).build()) {
            pool.start();
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

            proxy.retarget(closedPort()); // the database goes away: every connection cut, new ones refused
            finish.countDown();
            Thread.sleep(OUTAGE); // the outage itself: its length is the fault under test, not a wait
            assertThat(direct.get(id).state()).as("nothing recorded while the database was away")
                    .isEqualTo(JobState.RUNNING);
            proxy.retarget(databasePort);

            // Another process's reaper runs meanwhile: a lease the pool stopped renewing would be
            // taken back, and the job run again.
            Conditions.await(DEADLINE, "the job to end", () -> {
                direct.reapExpired(10);
                JobState state = direct.get(id).state();
                return state == JobState.SUCCEEDED || state == JobState.DEAD;
            });
            Conditions.await(DEADLINE, "the pool to give the lease up", () -> pool.leasesHeld() == 0);
        }
        JobSnapshot job = direct.get(id);
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.attempt()).as("attempts: the job ran once").isEqualTo(1);
        assertThat(executions.rowsOf(id)).singleElement()
                .satisfies(row -> assertThat(((Number) row.get("attempt")).intValue()).isEqualTo(1));
        assertThat(meters.get("conveyor.worker.completions").tag("outcome", "succeeded").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("conveyor.worker.lease.losses").counter().count()).isZero();
    }

    /** A loopback port nothing listens on: connections to it are refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
