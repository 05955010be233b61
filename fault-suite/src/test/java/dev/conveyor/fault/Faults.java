package dev.conveyor.fault;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.FaultProxy.Direction;
import dev.conveyor.fault.FaultCluster.Worker;
import dev.conveyor.fault.FaultRun.Fault;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults the scenarios and the soak inject, each recorded in a {@link FaultRun} with the
 * leases the faulty worker held when it began. A fault's duration is part of the schedule (the
 * sleeps here are the fault lasting, not a wait for something to happen).
 */
final class Faults {
    private static final Logger log = LoggerFactory.getLogger(Faults.class);
    /** Statements the worker sends, as Connector/J puts them on the wire (JobSql). */
    static final String CLAIM_MARKER = "AS expires";
    static final String HEARTBEAT_MARKER = "SET lease_expires_at = TIMESTAMPADD";
    static final String COMPLETION_MARKER = "SET state = 'SUCCEEDED'";
    private static final Duration TRIGGER_WAIT = Duration.ofSeconds(90);
    /** No healthy claim keeps a READY row locked this long. */
    private static final Duration PIN_GAP = Duration.ofSeconds(1);

    private final FaultCluster cluster;

    Faults(FaultCluster cluster) {
        this.cluster = cluster;
    }

    /** Long enough that a lost lease has expired and been taken over, and any idle transaction was ended. */
    Duration pastTheLease() {
        return cluster.lease.plusSeconds(4);
    }

    /** Waits until {@code w} holds at least one lease. */
    void awaitLeases(Worker w) {
        Conditions.await(TRIGGER_WAIT, w + " holding a lease", () -> cluster.leaseCount(w) > 0);
    }

    /**
     * Passes until {@code w} sends a statement with {@code marker}, then holds {@code held} for
     * {@code hold}; then cuts its connections (a firewall dropping the dead flows) and passes.
     */
    Fault halfOpenAt(FaultRun run, Worker w, String kind, String marker, Direction held, Duration hold)
            throws SQLException, InterruptedException {
        int before = w.proxy().triggered();
        w.proxy().halfOpenAfter(marker, held);
        Conditions.await(TRIGGER_WAIT, w + " sending '" + marker + "'", () -> w.proxy().triggered() > before);
        Fault fault = begin(run, w, kind, true);
        lastAndCheckPins(run, fault, hold);
        w.proxy().cutAll();
        w.proxy().pass();
        return fault;
    }

    /** Holds {@code held} at once, for {@code hold}. */
    Fault halfOpen(FaultRun run, Worker w, Direction held, Duration hold) throws SQLException, InterruptedException {
        w.proxy().halfOpen(held);
        Fault fault = begin(run, w, "half-open, " + held + " held", hold.compareTo(cluster.lease) > 0);
        lastAndCheckPins(run, fault, hold);
        w.proxy().cutAll();
        w.proxy().pass();
        return fault;
    }

    /** Nothing either way for {@code hold}, then the path passes again (held bytes delivered). */
    Fault blackhole(FaultRun run, Worker w, Duration hold) throws SQLException, InterruptedException {
        w.proxy().blackhole();
        boolean longer = hold.compareTo(cluster.lease) > 0;
        Fault fault = begin(run, w, longer ? "blackhole longer than the lease" : "blackhole shorter than the lease",
                longer);
        lastAndCheckPins(run, fault, hold);
        w.proxy().pass();
        return fault;
    }

    /** One RST on every open connection of {@code w}; new ones pass. */
    Fault reset(FaultRun run, Worker w) throws SQLException {
        Fault fault = begin(run, w, "reset", false);
        w.proxy().reset();
        return fault;
    }

    /** Every connection of {@code w}, and every new one, reset for {@code hold}. */
    Fault resetStorm(FaultRun run, Worker w, Duration hold) throws SQLException, InterruptedException {
        w.proxy().resetStorm();
        Fault fault = begin(run, w, "reset storm", hold.compareTo(cluster.lease) > 0);
        lastAndCheckPins(run, fault, hold);
        w.proxy().pass();
        return fault;
    }

    /** {@code delay} added each way for {@code hold}. */
    Fault latency(FaultRun run, Worker w, Duration delay, Duration hold) throws SQLException, InterruptedException {
        w.proxy().latency(Direction.TO_SERVER, delay);
        w.proxy().latency(Direction.TO_CLIENT, delay);
        Fault fault = begin(run, w, "latency " + delay.toMillis() + " ms each way", false);
        Thread.sleep(hold.toMillis());
        w.proxy().pass();
        return fault;
    }

    /** SIGSTOP for {@code hold}, then SIGCONT. */
    Fault sigstop(FaultRun run, Worker w, Duration hold) throws SQLException, InterruptedException, IOException {
        w.daemon().stop();
        Fault fault = begin(run, w, "SIGSTOP past the lease", hold.compareTo(cluster.lease) > 0);
        lastAndCheckPins(run, fault, hold);
        w.daemon().resume();
        return fault;
    }

    /**
     * A host that lost power: its path goes silent (the database keeps its side of each connection
     * open, as it would with nobody to send a FIN), then the process is SIGKILLed. The path stays
     * silent.
     */
    Fault powerLoss(FaultRun run, Worker w) throws SQLException, InterruptedException {
        w.proxy().blackhole();
        Fault fault = begin(run, w, "power loss (silent path, then SIGKILL)", true);
        w.daemon().kill();
        lastAndCheckPins(run, fault, pastTheLease());
        return fault;
    }

    /** The database server stopped and started again on its data. */
    Fault databaseRestart(FaultRun run) {
        Fault fault = record(run, new Fault("database restart", "database", Instant.now(), false, Map.of()));
        cluster.restartDatabase();
        return fault;
    }

    private Fault begin(FaultRun run, Worker w, String kind, boolean expectsRerun) throws SQLException {
        return record(run, new Fault(kind, w.name(), Instant.now(), expectsRerun, cluster.leasesOf(w)));
    }

    private static Fault record(FaultRun run, Fault fault) {
        run.fault(fault);
        log.info("fault: {} on {} holding {} lease(s)", fault.kind(), fault.target(), fault.held().size());
        return fault;
    }

    /**
     * Lets the fault last {@code hold}; when it outlasts the lease, checks before it ends that no
     * READY job is still pinned by a lock of the faulty worker (bounded sessions end those in time).
     */
    private void lastAndCheckPins(FaultRun run, Fault fault, Duration hold) throws SQLException, InterruptedException {
        long left = Duration.between(Instant.now(), fault.at().plus(hold)).toMillis();
        boolean check = fault.expectsRerun() && hold.compareTo(cluster.lease.plus(PIN_GAP).plusSeconds(2)) > 0;
        if (check) {
            left -= PIN_GAP.toMillis();
        }
        if (left > 0) {
            Thread.sleep(left);
        }
        if (check) {
            Set<Long> pinned = cluster.pinnedReady(PIN_GAP);
            if (!pinned.isEmpty()) {
                run.problem(fault.kind() + " on " + fault.target() + ": READY jobs still row-locked "
                        + Duration.between(fault.at(), Instant.now()).toSeconds() + " s into the fault (lease "
                        + cluster.lease.toSeconds() + " s): " + pinned);
            }
        }
    }
}
