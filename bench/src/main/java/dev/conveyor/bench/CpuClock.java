package dev.conveyor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Measures the CPU time of a few processes over an interval from {@code /proc/<pid>/stat}
 * ({@code utime + stime}), so that each figure says which process bounded it: the JVMs or the
 * database server. Linux only; elsewhere every process reads as absent.
 */
final class CpuClock {
    /** USER_HZ, the unit of utime and stime: 100 on every Linux the JDK supports. */
    private static final double TICKS_PER_SECOND = 100.0;
    /** utime and stime are fields 14 and 15; counted from field 3 (the first after comm's ")"), 11 and 12. */
    private static final int UTIME_AFTER_COMM = 11;

    private final Map<String, Long> pids;
    private final Map<String, Long> startTicks;
    private final long startNanos;

    private CpuClock(Map<String, Long> pids, Map<String, Long> startTicks, long startNanos) {
        this.pids = pids;
        this.startTicks = startTicks;
        this.startNanos = startNanos;
    }

    /** Starts measuring the processes named in {@code pids} (name → process id). */
    static CpuClock start(Map<String, Long> pids) {
        Map<String, Long> ticks = new HashMap<>();
        pids.forEach((name, pid) -> ticks(pid).ifPresent(t -> ticks.put(name, t)));
        return new CpuClock(new LinkedHashMap<>(pids), ticks, System.nanoTime());
    }

    /** The CPU each process used since {@link #start}. */
    CpuUsage stop() {
        Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
        Map<String, Double> seconds = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            Long before = startTicks.get(name);
            OptionalLong after = ticks(pid);
            if (before != null && after.isPresent()) {
                seconds.put(name, (after.getAsLong() - before) / TICKS_PER_SECOND);
            }
        });
        return new CpuUsage(wall, seconds);
    }

    /** A process's user + system time so far in clock ticks; empty once it has gone. */
    static OptionalLong ticks(long pid) {
        return stat(pid).map(line -> {
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(fields[UTIME_AFTER_COMM])
                    + Long.parseLong(fields[UTIME_AFTER_COMM + 1]));
        }).orElse(OptionalLong.empty());
    }

    private static Optional<String> stat(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
