package dev.conveyor.fault;

import dev.conveyor.core.JobQuery;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitResult;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.server.worker.BuiltinHandlers;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker daemons SIGKILLed again and again while they work through a run of {@code record} jobs;
 * each killed daemon is replaced. Every job must complete exactly once: the dead daemons' leases
 * expire, the reaper returns their jobs, and fencing drops nothing that had committed.
 */
@ExtendWith(TestDatabase.class)
class DaemonKillFaultIT {
    private static final Logger log = LoggerFactory.getLogger(DaemonKillFaultIT.class);
    private static final String QUEUE = "fault-kill";
    private static final int JOBS = Scale.of(600, 10_000);
    private static final int KILLS = Scale.of(2, 12);
    private static final int DAEMONS = Scale.of(2, 4);
    /** Long enough that the run outlasts the kills and the replacements' start-up. */
    private static final String JOB_MILLIS = String.valueOf(Scale.of(40, 150));
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(Scale.of(150, 900));
    private static final String[] FLAGS = {"--pool", QUEUE + ":6", "--lease", "3s", "--reaper-interval", "1s",
            "--idle-poll-max", "200ms", "--shutdown-timeout", "2s", "--handler-stop-grace", "1s"};

    @Test
    void everyJobCompletesExactlyOnceWhileDaemonsAreKilled(TestDb db) throws Exception {
        QueueManager queues = new QueueManager(db.open());
        Ledger ledger = new Ledger(db.jdbcUrl(), db.user(), db.password());
        List<Daemon> daemons = new ArrayList<>();
        Random random = new Random(42);
        try {
            for (int i = 0; i < DAEMONS; i++) {
                daemons.add(Daemon.launch("kill-" + i, db.jdbcUrl(), db.user(), db.password(), FLAGS));
            }
            for (Daemon d : daemons) {
                d.awaitRegistered(queues);
            }
            List<Long> jobs = submit(queues);
            int spawned = DAEMONS;
            for (int kill = 1; kill <= KILLS; kill++) {
                long target = (long) JOBS * kill / (KILLS + 1);
                Conditions.await(RUN_DEADLINE, target + " completions before kill " + kill,
                        () -> completions(ledger) >= target);
                Daemon victim = awaitVictim(queues, daemons, random);
                victim.kill();
                log.info("kill {}/{}: SIGKILLed {} at {} completions", kill, KILLS, victim.log().getFileName(), target);
                daemons.add(Daemon.launch("kill-" + spawned++, db.jdbcUrl(), db.user(), db.password(), FLAGS));
            }
            Conditions.await(RUN_DEADLINE, "every job finished", () -> completions(ledger) >= JOBS
                    && unfinished(ledger) == 0);
            ledger.assertExactlyOnce(jobs);
            log.info("{} jobs, {} SIGKILLs: {}", JOBS, KILLS, ledger.tally(jobs));
        } finally {
            for (Daemon d : daemons) {
                d.close();
            }
        }
    }

    /** A live daemon that holds leases right now: killing it orphans running jobs. */
    private static Daemon awaitVictim(QueueManager queues, List<Daemon> daemons, Random random) {
        Daemon[] found = new Daemon[1];
        Conditions.await(RUN_DEADLINE, "a daemon holding leases", () -> {
            List<Daemon> working = daemons.stream().filter(d -> d.alive() && d.registered(queues)
                    && queues.list(JobQuery.inQueue(QUEUE).withState(JobState.RUNNING)).jobs().stream()
                    .anyMatch(j -> d.owner(QUEUE).equals(j.leaseOwner()))).toList();
            found[0] = working.isEmpty() ? null : working.get(random.nextInt(working.size()));
            return found[0] != null;
        });
        return found[0];
    }

    private static List<Long> submit(QueueManager queues) {
        List<Long> ids = new ArrayList<>(JOBS);
        for (int from = 0; from < JOBS; from += 500) {
            List<NewJob> batch = IntStream.range(from, Math.min(JOBS, from + 500))
                    .mapToObj(i -> NewJob.builder(QUEUE, BuiltinHandlers.RECORD)
                            .payload(JOB_MILLIS.getBytes(StandardCharsets.UTF_8)).build()).toList();
            queues.submitAll(batch).stream().map(SubmitResult::jobId).forEach(ids::add);
        }
        return ids;
    }

    private static long completions(Ledger ledger) {
        try {
            return ledger.queryLong("SELECT COUNT(*) FROM " + BuiltinHandlers.LOG_TABLE);
        } catch (SQLException e) {
            return 0; // the table appears when the first daemon starts
        }
    }

    private static long unfinished(Ledger ledger) {
        try {
            return ledger.queryLong("SELECT COUNT(*) FROM job WHERE queue = ? AND state NOT IN ('SUCCEEDED', 'DEAD', "
                    + "'CANCELLED')", QUEUE);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
