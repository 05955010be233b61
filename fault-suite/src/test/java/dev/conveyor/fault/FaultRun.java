package dev.conveyor.fault;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What one scenario (or the soak) did, for {@link ReliabilityChecks}: the jobs it submitted, the
 * cancels it made, the faults it injected, and anything it saw on the way that broke the promise.
 * Filled from several threads.
 */
final class FaultRun {
    /** One fault injected into one worker (or the database, or a network path) at one moment. */
    record Fault(String kind, String target, Instant at, boolean expectsRerun, Map<Long, Held> held) {
    }

    /** A lease the faulty worker held when the fault began: its epoch, and when it could expire at the latest. */
    record Held(long epoch, Instant expiresAt) {
    }

    final String name;
    private final Set<Long> jobs = ConcurrentHashMap.newKeySet();
    /** Jobs whose cancel was requested, with the lease epoch they had just after the request. */
    private final Map<Long, Long> cancels = new ConcurrentHashMap<>();
    /** Jobs that must end CANCELLED with no execution at all (born cancelled). */
    private final Set<Long> bornCancelled = ConcurrentHashMap.newKeySet();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    FaultRun(String name) {
        this.name = name;
    }

    void jobs(Collection<Long> ids) {
        jobs.addAll(ids);
    }

    void job(long id) {
        jobs.add(id);
    }

    void cancelled(long id, long epochAfterRequest) {
        jobs.add(id);
        cancels.put(id, epochAfterRequest);
    }

    void bornCancelled(long id) {
        jobs.add(id);
        bornCancelled.add(id);
    }

    void fault(Fault fault) {
        faults.add(fault);
    }

    /** Something the scenario saw that breaks the promise, in words (counted, listed, and failed on). */
    void problem(String what) {
        problems.add(what);
    }

    Set<Long> jobs() {
        return Set.copyOf(new LinkedHashSet<>(jobs));
    }

    Map<Long, Long> cancels() {
        return Map.copyOf(cancels);
    }

    Set<Long> bornCancelledJobs() {
        return Set.copyOf(bornCancelled);
    }

    List<Fault> faults() {
        return List.copyOf(faults);
    }

    List<String> problems() {
        return new ArrayList<>(problems);
    }
}
