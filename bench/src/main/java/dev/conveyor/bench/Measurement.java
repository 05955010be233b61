package dev.conveyor.bench;

import java.util.List;
import java.util.Map;

/**
 * One figure of one round.
 *
 * @param system  "limit" or "conveyor"
 * @param config  what distinguishes this row from others of the same system and figure
 * @param values  the figure's values (several for a latency distribution), in its unit
 * @param tally   the exactly-once check of the run that produced it
 * @param cpu     per process (server, worker, bench, mariadbd…), the share of one core it used
 *                during the measured run, in percent
 * @param note    what else the run learnt (table sizes, say); may be empty
 */
record Measurement(String system, String config, Figure figure, List<Double> values, Tally tally,
        Map<String, Double> cpu, String note) {

    Measurement {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("a measurement needs a value: " + system + " " + config + " " + figure);
        }
        values = List.copyOf(values);
        cpu = Map.copyOf(cpu);
        note = note == null ? "" : note;
    }

    static Measurement of(String system, String config, Figure figure, double value, Tally tally, CpuUsage cpu) {
        return new Measurement(system, config, figure, List.of(value), tally, cpu.percentOfCore(), "");
    }

    Measurement withNote(String text) {
        return new Measurement(system, config, figure, values, tally, cpu, text);
    }

    /** The row this measurement belongs to, the same in every round. */
    String rowKey() {
        return system + "|" + config + "|" + figure;
    }
}
