package dev.conveyor.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time that named processes used during one interval.
 *
 * @param wall       the interval's length
 * @param cpuSeconds per process, user plus system CPU seconds; a process that ended during the
 *                   interval (a killed worker) is absent
 */
record CpuUsage(Duration wall, Map<String, Double> cpuSeconds) {

    CpuUsage {
        cpuSeconds = Map.copyOf(cpuSeconds);
    }

    /** Per process, CPU seconds over wall seconds in percent: 100 is one core kept busy. */
    Map<String, Double> percentOfCore() {
        Map<String, Double> percent = new LinkedHashMap<>();
        double seconds = wall.toNanos() / 1e9;
        if (seconds > 0) {
            cpuSeconds.forEach((name, cpu) -> percent.put(name, 100 * cpu / seconds));
        }
        return percent;
    }
}
