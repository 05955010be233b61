package dev.conveyor.fault;

import dev.conveyor.fault.ExecutionLog.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The test side of the execution ledger: every {@link ExecutionLog} file of a run (one per
 * worker process, alive or dead), read back as executions.
 *
 * <p>An execution is one (job, lease epoch). Its active interval runs from its {@code START} to
 * its last action ({@code START}, {@code TICK} or {@code DONE}); {@code STOPPED} and {@code FAILED}
 * only say how it ended. A process stopped with SIGSTOP does nothing while stopped, and its interval
 * shows that: nothing is written until it runs again.
 */
final class ExecutionLedger {

    /** One execution of one job, as its worker wrote it down. */
    record Execution(long job, int attempt, long epoch, String worker, String process, Instant start,
            Instant lastAction, Step ending) {

        /** Whether the two were active at a common moment. */
        boolean overlaps(Execution other) {
            return start.isBefore(other.lastAction) && other.start.isBefore(lastAction);
        }
    }

    private final Map<Long, List<Execution>> byJob;

    private ExecutionLedger(Map<Long, List<Execution>> byJob) {
        this.byJob = byJob;
    }

    static ExecutionLedger read(Path dir) throws IOException {
        Map<String, Execution> executions = new LinkedHashMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".ledger")).sorted().toList()) {
                    String process = file.getFileName().toString();
                    for (String line : Files.readAllLines(file)) {
                        parse(process, line, executions);
                    }
                }
            }
        }
        Map<Long, List<Execution>> byJob = new LinkedHashMap<>();
        for (Execution e : executions.values()) {
            byJob.computeIfAbsent(e.job(), j -> new ArrayList<>()).add(e);
        }
        byJob.values().forEach(list -> list.sort(Comparator.comparing(Execution::start)));
        return new ExecutionLedger(byJob);
    }

    private static void parse(String process, String line, Map<String, Execution> executions) {
        String[] f = line.split(" ");
        Instant at;
        Step step;
        long job;
        try {
            at = Instant.EPOCH.plus(Long.parseLong(f[0]), ChronoUnit.MICROS);
            step = Step.valueOf(f[1]);
            job = Long.parseLong(f[2]);
            Long.parseLong(f[4]);
        } catch (RuntimeException cutShort) {
            return; // a line cut short by a SIGKILL in the middle of its write
        }
        if (f.length != 6) {
            return;
        }
        String key = job + "/" + f[4];
        Execution e = executions.get(key);
        if (e == null) {
            e = new Execution(job, Integer.parseInt(f[3]), Long.parseLong(f[4]), f[5], process, at, at, null);
        }
        boolean action = step == Step.START || step == Step.TICK || step == Step.DONE;
        executions.put(key, new Execution(e.job(), e.attempt(), e.epoch(), e.worker(), e.process(), e.start(),
                action && at.isAfter(e.lastAction()) ? at : e.lastAction(), action && step != Step.DONE
                        ? e.ending() : step));
    }

    /** The executions of {@code job}, earliest first. */
    List<Execution> of(long job) {
        return byJob.getOrDefault(job, List.of());
    }

    int executions() {
        return byJob.values().stream().mapToInt(List::size).sum();
    }
}
