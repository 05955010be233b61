package dev.conveyor.fault;

import dev.conveyor.core.testing.FaultProxy.Direction;
import dev.conveyor.fault.FaultCluster.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A randomized soak: a steady stream of jobs through a {@link FaultCluster} while a seeded
 * schedule injects the faults of {@link FaultScenariosIT} one after another, on random workers, at
 * random moments; then the same {@link ReliabilityChecks}. It logs the seed (replay a schedule with
 * {@code -Dfault.seed=<seed>}; the workers' timing still varies), the faults injected by kind and
 * the figures, and writes them to {@code target/fault-soak-<seed>.txt}.
 *
 * <p>Short form (every {@code mvn verify}): 3 workers, 8 s lease, 110 s of faults (about 5 minutes with start-up). Long form:
 * {@code mvn -B -pl fault-suite -am verify -Dtest=SoakFaultIT -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfault.scale=long [-Dfault.seed=<seed>]}: 4 workers, 15 s lease, 30 minutes of faults, with
 * SIGKILLs (each killed worker replaced).
 */
class SoakFaultIT {
    private static final Logger log = LoggerFactory.getLogger(SoakFaultIT.class);
    private static final String QUEUE = "fault-soak";
    private static final Duration LEASE = Duration.ofSeconds(Scale.of(8, 15));
    private static final int WORKERS = Scale.of(3, 4);
    private static final int SLOTS = 4;
    private static final Duration FAULTS_FOR = Duration.ofSeconds(Long.getLong("fault.soak.seconds", Scale.of(110, 1800)));
    /** Jobs submitted per half second: about half of what the slots can run, so that recovery is not queueing. */
    private static final int JOBS_PER_TICK = Scale.of(2, 3);
    private static final Duration SETTLE = LEASE.multipliedBy(4).plusSeconds(90);

    /** The faults of the schedule; SIGKILL (with a replacement worker's start-up) in the long form only. */
    private enum Kind {
        HALF_OPEN_MID_CLAIM, HALF_OPEN_MID_HEARTBEAT, HALF_OPEN_MID_COMPLETION, HALF_OPEN_TO_CLIENT, HALF_OPEN_TO_SERVER,
        BLACKHOLE_SHORT, BLACKHOLE_LONG, RESET, RESET_STORM, LATENCY, SIGSTOP, SIGKILL, DATABASE_RESTART,
        CANCEL_BURST, RETRY_RACE
    }

    @Test
    void promiseHoldsUnderASeededScheduleOfFaults() throws Exception {
        String given = System.getProperty("fault.seed", "");
        long seed = given.isBlank() ? System.nanoTime() : Long.parseLong(given.strip());
        log.info("soak seed {} (replay: -Dfault.seed={}), scale {}, {} of faults", seed, seed,
                Scale.FULL ? "long" : "short", FAULTS_FOR);
        Random schedule = new Random(seed);
        Map<String, Integer> byKind = new TreeMap<>();
        FaultRun run = new FaultRun("soak seed " + seed);
        try (FaultCluster cluster = FaultCluster.start("soak", QUEUE, WORKERS, SLOTS, LEASE);
                ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            Faults faults = new Faults(cluster);
            Races races = new Races(cluster);
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger batches = new AtomicInteger();
            Random sizes = new Random(seed + 1);
            background.submit(() -> {
                while (loading.get()) {
                    int b = batches.getAndIncrement();
                    run.jobs(cluster.load.submit("soak-" + b, JOBS_PER_TICK, i -> FaultLoad.payload(200 + sizes.nextInt(2300))));
                    Races.pause(500); // the load's pace
                }
                return null;
            });
            long end = System.nanoTime() + FAULTS_FOR.toNanos();
            int pairs = 0;
            while (System.nanoTime() < end) {
                Kind kind = Kind.values()[schedule.nextInt(Kind.values().length)];
                if (kind == Kind.SIGKILL && !Scale.FULL) {
                    kind = Kind.SIGSTOP;
                }
                Worker w = cluster.workers.get(schedule.nextInt(cluster.workers.size()));
                byKind.merge(kind.name(), 1, Integer::sum);
                log.info("soak: {} on {}", kind, kind == Kind.DATABASE_RESTART ? "the database" : w);
                switch (kind) {
                    case HALF_OPEN_MID_CLAIM -> faults.halfOpenAt(run, w, "half-open mid-claim", Faults.CLAIM_MARKER,
                            Direction.TO_CLIENT, faults.pastTheLease());
                    case HALF_OPEN_MID_HEARTBEAT -> {
                        faults.awaitLeases(w);
                        faults.halfOpenAt(run, w, "half-open mid-heartbeat", Faults.HEARTBEAT_MARKER,
                                Direction.TO_SERVER, faults.pastTheLease());
                    }
                    case HALF_OPEN_MID_COMPLETION -> {
                        faults.awaitLeases(w);
                        faults.halfOpenAt(run, w, "half-open mid-completion", Faults.COMPLETION_MARKER,
                                Direction.TO_CLIENT, faults.pastTheLease());
                    }
                    case HALF_OPEN_TO_CLIENT -> faults.halfOpen(run, w, Direction.TO_CLIENT, faults.pastTheLease());
                    case HALF_OPEN_TO_SERVER -> faults.halfOpen(run, w, Direction.TO_SERVER, faults.pastTheLease());
                    case BLACKHOLE_SHORT -> faults.blackhole(run, w, Duration.ofSeconds(5));
                    case BLACKHOLE_LONG -> faults.blackhole(run, w, Duration.ofSeconds(Scale.of(12, 40)));
                    case RESET -> faults.reset(run, w);
                    case RESET_STORM -> faults.resetStorm(run, w, faults.pastTheLease());
                    case LATENCY -> faults.latency(run, w, Duration.ofMillis(50 + schedule.nextInt(400)),
                            Duration.ofSeconds(5 + schedule.nextInt(10)));
                    case SIGSTOP -> faults.sigstop(run, w, faults.pastTheLease());
                    case SIGKILL -> {
                        faults.powerLoss(run, w);
                        cluster.replace(w, "soak-replacement-" + byKind.get(kind.name()));
                    }
                    case DATABASE_RESTART -> faults.databaseRestart(run);
                    case CANCEL_BURST -> {
                        for (long id : running(cluster, 1 + schedule.nextInt(3))) {
                            races.cancel(run, id);
                        }
                    }
                    case RETRY_RACE -> {
                        long[] pair = races.retryPair(run, "soak-retry-" + seed + "-" + pairs++, 1000);
                        long delay = 940 + schedule.nextInt(120);
                        background.submit(() -> races.retryAsItsDependencyCompletes(run, pair[0], pair[1], delay));
                    }
                }
                cluster.healAll();
                Races.pause(2000 + schedule.nextInt(4000)); // the schedule's quiet gap between faults
            }
            loading.set(false);
            ReliabilityChecks.Figures figures = cluster.checks.evaluate(run, SETTLE);
            String report = "soak seed " + seed + " (" + (Scale.FULL ? "long" : "short") + " form, lease "
                    + LEASE.toSeconds() + " s, " + WORKERS + " workers × " + SLOTS + " slots, "
                    + FAULTS_FOR.toSeconds() + " s of faults)\nfaults by kind: " + byKind + "\n" + figures + "\n";
            log.info("{}", report);
            Path file = Path.of("target", "fault-soak-" + seed + ".txt");
            Files.writeString(file, report + String.join("\n", figures.problems()) + "\n");
            org.assertj.core.api.Assertions.assertThat(figures.problems())
                    .as("violations of the promise in " + report).isEmpty();
        }
    }

    /** Up to {@code n} jobs of the queue RUNNING now, at random. */
    private static List<Long> running(FaultCluster cluster, int n) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = cluster.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM job WHERE queue = ? AND state = 'RUNNING' ORDER BY RAND() LIMIT ?")) {
            ps.setString(1, QUEUE);
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }
}
