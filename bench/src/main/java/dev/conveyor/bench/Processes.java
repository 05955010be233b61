package dev.conveyor.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The processes whose CPU every measurement samples: this harness (which also runs the limit's
 * workers and the gRPC clients), the database server when it runs here, and the Conveyor server
 * and worker processes of the current run. Used by the harness's main thread only.
 */
final class Processes {
    static final String BENCH = "bench";

    private final Map<String, Long> pids = new LinkedHashMap<>();

    /** @param database the database server's process, named in the table after its binary (mariadbd, mysqld) */
    Processes(Optional<ProcessHandle> database) {
        pids.put(BENCH, ProcessHandle.current().pid());
        database.ifPresent(p -> pids.put(p.info().command().map(c -> c.substring(c.lastIndexOf('/') + 1))
                .orElse("database"), p.pid()));
    }

    void add(String name, long pid) {
        pids.put(name, pid);
    }

    void remove(String name) {
        pids.remove(name);
    }

    CpuClock startCpuClock() {
        return CpuClock.start(pids);
    }
}
