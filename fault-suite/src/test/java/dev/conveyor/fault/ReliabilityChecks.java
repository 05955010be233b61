package dev.conveyor.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.fault.ExecutionLedger.Execution;
import dev.conveyor.fault.FaultRun.Fault;
import dev.conveyor.fault.FaultRun.Held;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promise, checked after a scenario from three records that do not depend on the workers
 * telling the truth: the job table, the committed completions ({@link CompletionTable}, written in
 * the completing transaction) and the execution ledger ({@link ExecutionLedger}, written by each
 * worker process as it works, surviving it):
 * <ul>
 *   <li><b>lost = 0</b>: every job ends SUCCEEDED with a committed completion (or, when its cancel
 *       was requested, CANCELLED without one);
 *   <li><b>completed twice = 0</b>: no job has two committed completions;
 *   <li><b>overlap = 0</b>: no two executions of one job were active at a common moment;
 *   <li><b>cancelled then run = 0</b>: no execution began with a newer lease after a cancel was requested;
 *   <li><b>run after completion = 0</b>: the completion is the newest execution's;
 *   <li><b>recovery</b>: every job a faulty worker held runs again at most {@value #RECOVERY_SLACK_SECONDS} s
 *       after its lease could expire (unless its holder completed it before losing it);
 *   <li><b>stuck = 0</b>: every job ends in a terminal state within the run's bound.
 * </ul>
 */
final class ReliabilityChecks {
    private static final Logger log = LoggerFactory.getLogger(ReliabilityChecks.class);
    static final int RECOVERY_SLACK_SECONDS = 2;
    private static final Duration RECOVERY_SLACK = Duration.ofSeconds(RECOVERY_SLACK_SECONDS);
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "DEAD", "CANCELLED");

    /** What a run came to; {@code problems} lists each violation in words. */
    record Figures(String run, int jobs, int executions, int lost, int twice, int overlaps, int cancelledThenRun,
            int runAfterCompletion, int stuck, int heldByFaultyWorkers, int lateRecoveries, Duration worstRecovery,
            double worstRecoveryOverLease, int faults, List<String> problems) {

        boolean clean() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            return String.format("%s: jobs=%d executions=%d lost=%d twice=%d overlap=%d cancelledThenRun=%d "
                    + "runAfterCompletion=%d stuck=%d faults=%d heldByFaultyWorkers=%d lateRecoveries=%d "
                    + "worstRecoveryAfterLeaseExpiry=%dms worstRerunSinceFault=%.2f×lease", run, jobs, executions,
                    lost, twice, overlaps, cancelledThenRun, runAfterCompletion, stuck, faults, heldByFaultyWorkers,
                    lateRecoveries, worstRecovery.toMillis(), worstRecoveryOverLease);
        }
    }

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Path ledgerDir;
    private final Duration lease;

    ReliabilityChecks(String jdbcUrl, String user, String password, Path ledgerDir, Duration lease) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.ledgerDir = ledgerDir;
        this.lease = lease;
    }

    /** Waits up to {@code bound} for every job of the run to end, then checks; fails listing each violation. */
    Figures verify(FaultRun run, Duration bound) throws SQLException, IOException {
        Figures figures = evaluate(run, bound);
        log.info("figures of {}", figures);
        assertThat(figures.problems()).as("violations of the promise in " + figures).isEmpty();
        return figures;
    }

    /** As {@link #verify}, without failing. */
    Figures evaluate(FaultRun run, Duration bound) throws SQLException, IOException {
        Set<Long> jobs = run.jobs();
        long deadline = System.nanoTime() + bound.toNanos();
        Map<Long, JobRow> rows = Map.of();
        while (true) {
            try {
                rows = rows(jobs);
                if (rows.size() == jobs.size() && rows.values().stream().allMatch(r -> TERMINAL.contains(r.state()))) {
                    break;
                }
            } catch (SQLException e) {
                log.debug("job states unreadable for now (the database may be restarting): {}", e.getMessage());
            }
            if (System.nanoTime() - deadline >= 0) {
                rows = rows(jobs);
                break;
            }
            try {
                Thread.sleep(250); // polling the database for the end of the run, as Conditions.await does
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + run.name + " to settle", e);
            }
        }
        Map<Long, List<CompletionTable.Row>> completions;
        try (Connection c = connect()) {
            completions = CompletionTable.read(c).stream().collect(Collectors.groupingBy(CompletionTable.Row::job));
        }
        ExecutionLedger ledger = ExecutionLedger.read(ledgerDir);
        List<String> problems = new ArrayList<>(run.problems());
        Map<Long, Long> cancels = run.cancels();
        Set<Long> bornCancelled = run.bornCancelledJobs();
        int lost = 0;
        int twice = 0;
        int overlaps = 0;
        int cancelledThenRun = 0;
        int runAfterCompletion = 0;
        int stuck = 0;
        int executions = 0;
        Map<String, Integer> stuckByState = new TreeMap<>();
        for (long id : jobs) {
            JobRow row = rows.get(id);
            String state = row == null ? "MISSING" : row.state();
            List<CompletionTable.Row> done = completions.getOrDefault(id, List.of());
            List<Execution> runs = ledger.of(id);
            executions += runs.size();
            if (!TERMINAL.contains(state)) {
                stuck++;
                stuckByState.merge(state, 1, Integer::sum);
                problems.add("job " + id + " stuck in " + state + " after " + bound.toSeconds() + " s");
                continue;
            }
            if (done.size() > 1) {
                twice++;
                problems.add("job " + id + " completed " + done.size() + " times: " + done);
            }
            boolean cancelAllowed = cancels.containsKey(id) || bornCancelled.contains(id);
            boolean ok = state.equals("SUCCEEDED") && done.size() == 1
                    || cancelAllowed && state.equals("CANCELLED") && done.isEmpty();
            if (bornCancelled.contains(id) && !(state.equals("CANCELLED") && runs.isEmpty())) {
                ok = false;
            }
            if (!ok) {
                lost++;
                problems.add("job " + id + " ended " + state + " with " + done.size() + " committed completion(s)"
                        + " and " + runs.size() + " execution(s)" + (row == null ? "" : "; last error: " + row.lastError()));
            }
            for (int i = 0; i < runs.size(); i++) {
                for (int j = i + 1; j < runs.size(); j++) {
                    if (runs.get(i).overlaps(runs.get(j))) {
                        overlaps++;
                        problems.add("job " + id + ": executions overlap in time: " + runs.get(i) + " and " + runs.get(j));
                    }
                }
            }
            Long cancelEpoch = cancels.get(id);
            if (cancelEpoch != null) {
                for (Execution e : runs) {
                    if (e.epoch() > cancelEpoch) {
                        cancelledThenRun++;
                        problems.add("job " + id + " ran again after its cancel was requested (epoch then "
                                + cancelEpoch + "): " + e);
                    }
                }
            }
            if (done.size() == 1) {
                long completedEpoch = done.get(0).epoch();
                for (Execution e : runs) {
                    if (e.epoch() > completedEpoch) {
                        runAfterCompletion++;
                        problems.add("job " + id + " ran after its completion (epoch " + completedEpoch + "): " + e);
                    }
                }
            }
        }
        if (!stuckByState.isEmpty()) {
            problems.add(0, "stuck jobs by state: " + stuckByState);
        }
        // Recovery: a job a faulty worker held runs again within the slack of its lease's latest expiry.
        int held = 0;
        int late = 0;
        Duration worst = Duration.ZERO;
        double worstOverLease = 0;
        for (Fault fault : run.faults()) {
            if (!fault.expectsRerun()) {
                continue;
            }
            for (Map.Entry<Long, Held> h : fault.held().entrySet()) {
                long id = h.getKey();
                if (!jobs.contains(id)) {
                    continue;
                }
                held++;
                Held lease0 = h.getValue();
                Execution rerun = ledger.of(id).stream().filter(e -> e.epoch() > lease0.epoch()).findFirst().orElse(null);
                if (rerun == null) {
                    boolean finishedByHolder = completions.getOrDefault(id, List.of()).stream()
                            .anyMatch(c -> c.epoch() == lease0.epoch());
                    JobRow row = rows.get(id);
                    if (!finishedByHolder && (row == null || !row.state().equals("CANCELLED"))) {
                        late++;
                        problems.add(fault.kind() + " on " + fault.target() + ": job " + id + " (epoch " + lease0.epoch()
                                + ") never ran again, nor did its holder complete it");
                    }
                    continue;
                }
                Duration after = Duration.between(lease0.expiresAt(), rerun.start());
                Duration sinceFault = Duration.between(fault.at(), rerun.start());
                if (after.compareTo(worst) > 0) {
                    worst = after;
                }
                worstOverLease = Math.max(worstOverLease, sinceFault.toMillis() / (double) lease.toMillis());
                if (after.compareTo(RECOVERY_SLACK) > 0) {
                    late++;
                    problems.add(fault.kind() + " on " + fault.target() + ": job " + id + " ran again "
                            + after.toMillis() + " ms after its lease could expire (" + sinceFault.toMillis()
                            + " ms after the fault; allowed: " + RECOVERY_SLACK.toMillis() + " ms after expiry)");
                }
            }
        }
        return new Figures(run.name, jobs.size(), executions, lost, twice, overlaps, cancelledThenRun,
                runAfterCompletion, stuck, held, late, worst, worstOverLease, run.faults().size(), problems);
    }

    private record JobRow(String state, long epoch, String lastError) {
    }

    private Map<Long, JobRow> rows(Collection<Long> ids) throws SQLException {
        Map<Long, JobRow> rows = new HashMap<>();
        List<Long> all = new ArrayList<>(ids);
        try (Connection c = connect()) {
            for (int from = 0; from < all.size(); from += 1000) {
                List<Long> part = all.subList(from, Math.min(all.size(), from + 1000));
                String in = part.stream().map(String::valueOf).collect(Collectors.joining(","));
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, state, lease_epoch, last_error FROM job WHERE id IN (" + in + ")");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getLong(1), new JobRow(rs.getString(2), rs.getLong(3), rs.getString(4)));
                    }
                }
            }
        }
        return rows;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }
}
