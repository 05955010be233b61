package dev.conveyor.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.FaultProxy.Direction;
import dev.conveyor.fault.ExecutionLedger.Execution;
import dev.conveyor.fault.FaultCluster.Worker;
import dev.conveyor.proto.v1.JobState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The promise under real faults, one scenario each, on one cluster of real processes
 * ({@link FaultCluster}: a MariaDB the test owns, a {@code conveyor server}, three worker daemons
 * each behind its own {@code FaultProxy}; gRPC clients submit). After each scenario
 * {@link ReliabilityChecks} holds: lost 0, completed twice 0, overlapping executions 0, cancelled
 * then run 0, every job a faulty worker held running again within 2 s of its lease's expiry, nothing
 * stuck. The short form uses an 8 s lease (faults "longer than the lease" last 12 s), the long form
 * the default 15 s lease and a 40 s blackhole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultScenariosIT {
    private static final String QUEUE = "fault-scenarios";
    private static final Duration LEASE = Duration.ofSeconds(Scale.of(8, 15));
    private static final int WORKERS = Scale.of(3, 4);
    private static final int SLOTS = 4;
    /**
     * Per scenario: every slot busy at first, and the backlog gone well before a lost lease expires,
     * so that a re-run measures recovery, not queueing.
     */
    private static final int JOBS = Scale.of(24, 60);
    private static final long JOB_MILLIS = 1500;
    private static final Duration SHORT_BLACKHOLE = Duration.ofSeconds(5);
    private static final Duration LONG_BLACKHOLE = Duration.ofSeconds(Scale.of(12, 40));
    private static final Duration SETTLE = LEASE.multipliedBy(4).plusSeconds(60);

    private FaultCluster cluster;
    private Faults faults;
    private Races races;
    private final Random random = new Random(10);

    @BeforeAll
    void start() throws Exception {
        cluster = FaultCluster.start("scenarios", QUEUE, WORKERS, SLOTS, LEASE);
        faults = new Faults(cluster);
        races = new Races(cluster);
    }

    @AfterEach
    void heal() {
        cluster.healAll();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void halfOpenMidClaim() throws Exception {
        FaultRun run = new FaultRun("half-open mid-claim");
        Worker w = cluster.workers.get(0);
        run.jobs(cluster.load.submit("claim", JOBS, i -> FaultLoad.payload(JOB_MILLIS)));
        faults.halfOpenAt(run, w, "half-open mid-claim (answers lost)", Faults.CLAIM_MARKER, Direction.TO_CLIENT,
                faults.pastTheLease());
        cluster.checks.verify(run, SETTLE);
    }

    @Test
    @Order(2)
    void halfOpenMidHeartbeat() throws Exception {
        FaultRun run = new FaultRun("half-open mid-heartbeat");
        Worker w = cluster.workers.get(1);
        run.jobs(cluster.load.submit("heartbeat", WORKERS * SLOTS, i -> FaultLoad.payload(4000)));
        faults.awaitLeases(w);
        faults.halfOpenAt(run, w, "half-open mid-heartbeat (statements lost)", Faults.HEARTBEAT_MARKER,
                Direction.TO_SERVER, faults.pastTheLease());
        cluster.checks.verify(run, SETTLE);
    }

    @Test
    @Order(3)
    void halfOpenMidCompletion() throws Exception {
        FaultRun run = new FaultRun("half-open mid-completion");
        Worker w = cluster.workers.get(2);
        run.jobs(cluster.load.submit("completion", JOBS, i -> FaultLoad.payload(JOB_MILLIS)));
        faults.halfOpenAt(run, w, "half-open mid-completion (answers lost)", Faults.COMPLETION_MARKER,
                Direction.TO_CLIENT, faults.pastTheLease());
        cluster.checks.verify(run, SETTLE);
    }

    @Test
    @Order(4)
    void blackholeShorterThanTheLease() throws Exception {
        FaultRun run = new FaultRun("blackhole shorter than the lease");
        Worker w = cluster.workers.get(0);
        run.jobs(cluster.load.submit("short-blackhole", JOBS, i -> FaultLoad.payload(JOB_MILLIS)));
        faults.awaitLeases(w);
        faults.blackhole(run, w, SHORT_BLACKHOLE);
        cluster.checks.verify(run, SETTLE);
    }

    @Test
    @Order(5)
    void blackholeLongerThanTheLease() throws Exception {
        FaultRun run = new FaultRun("blackhole longer than the lease");
        Worker w = cluster.workers.get(1);
        run.jobs(cluster.load.submit("long-blackhole", JOBS, i -> FaultLoad.payload(JOB_MILLIS)));
        faults.awaitLeases(w);
        faults.blackhole(run, w, LONG_BLACKHOLE);
        cluster.checks.verify(run, SETTLE);
    }

    @Test
    @Order(6)
    void resetStorm() throws Exception {
        FaultRun run = new FaultRun("reset storm");
        Worker w = cluster.workers.get(2);
        run.jobs(cluster.load.submit("reset", JOBS, i -> FaultLoad.payload(JOB_MILLIS)));
        faults.awaitLeases(w);
        faults.resetStorm(run, w, faults.pastTheLease());
        cluster.checks.verify(run, SETTLE);
    }

    @Test
    @Order(7)
    void sigstopPastTheLeaseThenSigcont() throws Exception {
        FaultRun run = new FaultRun("SIGSTOP past the lease, then SIGCONT");
        Worker w = cluster.workers.get(0);
        // Jobs longer than the lease: the stopped worker wakes up with handlers that have work left.
        // Fewer than the other workers' slots, so that their re-runs start as soon as they are reaped.
        run.jobs(cluster.load.submit("sigstop", 2 * WORKERS, i -> FaultLoad.payload(LEASE.toMillis() + 2000)));
        faults.awaitLeases(w);
        faults.sigstop(run, w, faults.pastTheLease());
        cluster.checks.verify(run, SETTLE);
    }

    /**
     * Cancels racing attempts that fail (the cancel must not be lost: no later claim), cancels racing
     * successes (either outcome, never both, never a run after), and retries racing the completion of
     * the job they depend on (never left WAITING).
     */
    @Test
    @Order(8)
    void cancelAndRetryRacingCompletions() throws Exception {
        FaultRun run = new FaultRun("cancel and retry racing completions");
        int n = Scale.of(12, 40);
        List<Long> failing = cluster.load.submit("cancel-failing", n, i -> "1500" + FaultyHandlers.FAIL_FIRST);
        List<Long> succeeding = cluster.load.submit("cancel-succeeding", n, i -> "800");
        List<long[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pairs.add(races.retryPair(run, "retry-" + i, 1000));
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (long id : failing) {
                long delay = random.nextInt(1500);
                done.add(threads.submit(() -> races.cancelWhileRunning(run, id, delay)));
            }
            for (long id : succeeding) {
                long delay = random.nextInt(1000);
                done.add(threads.submit(() -> races.cancelWhileRunning(run, id, delay)));
            }
            for (long[] pair : pairs) {
                long delay = 1000 + random.nextInt(120) - 60;
                done.add(threads.submit(() -> races.retryAsItsDependencyCompletes(run, pair[0], pair[1], delay)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        cluster.checks.verify(run, SETTLE);
    }

    /**
     * A workflow under faults: a parent waiting for its children, a job that depends on the parent,
     * and a parent whose only child is born CANCELLED; one worker blackholed past its lease and
     * another's connections reset while the children run. The parent runs only after every child
     * completed; a child sent to a parent that no longer waits is refused.
     */
    @Test
    @Order(9)
    void workflowUnderFaults() throws Exception {
        FaultRun run = new FaultRun("workflow under faults");
        long parent = cluster.load.submit(cluster.load.job("wf-parent", "300").setAwaitChildren(true).build());
        List<Long> children = new ArrayList<>();
        for (int i = 0; i < Scale.of(12, 40); i++) {
            children.add(cluster.load.submit(cluster.load.job("wf-child-" + i, "2500").setParentId(parent).build()));
        }
        long summary = cluster.load.submit(cluster.load.job("wf-summary", "300").addDependsOn(parent).build());
        long cancelledDependency = cluster.load.submit(cluster.load.job("wf-x", "300")
                .setDelay(com.google.protobuf.Duration.newBuilder().setSeconds(3600)).build());
        assertThat(cluster.load.cancel(cancelledDependency, "never to run")).isEqualTo(JobState.JOB_STATE_CANCELLED);
        long emptyParent = cluster.load.submit(cluster.load.job("wf-parent-2", "300").setAwaitChildren(true).build());
        // Its only child is born CANCELLED (its dependency was cancelled): the parent has nothing
        // left to wait for and must be released at once (no later child is accepted).
        run.bornCancelled(cluster.load.submit(cluster.load.job("wf-born-cancelled", "300").setParentId(emptyParent)
                .addDependsOn(cancelledDependency).build()));
        run.jobs(children);
        run.jobs(List.of(parent, summary, emptyParent));
        run.cancelled(cancelledDependency, 0);

        Worker blackholed = cluster.workers.get(1);
        faults.awaitLeases(blackholed);
        faults.blackhole(run, blackholed, faults.pastTheLease());
        faults.resetStorm(run, cluster.workers.get(2), Duration.ofSeconds(3));

        Conditions.await(SETTLE, "the parent " + parent + " ended",
                () -> cluster.load.state(parent) == JobState.JOB_STATE_SUCCEEDED
                        || cluster.load.state(parent) == JobState.JOB_STATE_DEAD);
        try {
            long late = cluster.load.submit(cluster.load.job("wf-late-child", "300").setParentId(parent).build());
            run.job(late);
            run.problem("a child (" + late + ") was accepted by parent " + parent + ", which no longer waits for children");
        } catch (AssertionError e) {
            if (!(e.getCause() instanceof StatusRuntimeException s) || s.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                throw e;
            }
        }
        ReliabilityChecks.Figures figures = cluster.checks.evaluate(run, SETTLE);
        ExecutionLedger ledger = ExecutionLedger.read(cluster.ledgerDir);
        Instant childrenDone = children.stream().flatMap(c -> ledger.of(c).stream()).map(Execution::lastAction)
                .max(Instant::compareTo).orElseThrow();
        List<Execution> parentRuns = ledger.of(parent);
        List<String> problems = new ArrayList<>(figures.problems());
        if (!parentRuns.isEmpty() && parentRuns.get(0).start().isBefore(childrenDone)) {
            problems.add("parent " + parent + " started at " + parentRuns.get(0).start() + ", before its last child "
                    + "finished at " + childrenDone);
        }
        assertThat(problems).as("violations of the promise in " + figures).isEmpty();
    }

    @Test
    @Order(10)
    void databaseRestartUnderLoad() throws Exception {
        FaultRun run = new FaultRun("database restart under load");
        run.jobs(cluster.load.submit("db-restart", JOBS, i -> FaultLoad.payload(JOB_MILLIS)));
        for (Worker w : cluster.workers) {
            faults.awaitLeases(w);
        }
        faults.databaseRestart(run);
        run.jobs(cluster.load.submit("db-restart-after", JOBS / 2, i -> FaultLoad.payload(JOB_MILLIS)));
        cluster.checks.verify(run, SETTLE);
    }

    /** Last: the worker does not come back. */
    @Test
    @Order(11)
    void powerLossOfAWorker() throws Exception {
        FaultRun run = new FaultRun("power loss of a worker");
        Worker w = cluster.workers.get(2);
        run.jobs(cluster.load.submit("power", JOBS, i -> FaultLoad.payload(JOB_MILLIS)));
        faults.awaitLeases(w);
        faults.powerLoss(run, w);
        cluster.checks.verify(run, SETTLE);
    }
}
