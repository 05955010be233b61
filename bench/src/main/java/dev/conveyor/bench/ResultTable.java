package dev.conveyor.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The run's measurements, one row per system, configuration and figure, with medians over the
 * rounds and each figure's ratio to its baseline measured in the same run:
 * <ul>
 *   <li>enqueue figures: to the limit's figure of the same kind;
 *   <li>W1 drain: to the best limit drain (over claim batches and completion variants);
 *   <li>W4 and W5 drains: to Conveyor's own W1 drain (the cost of history, of a future backlog);
 *   <li>W2, W3 and W5's idle-claim reads have no ratio: their targets are absolute.
 * </ul>
 */
final class ResultTable {
    private final Map<String, List<Measurement>> rows = new LinkedHashMap<>();

    ResultTable(List<Measurement> measurements) {
        measurements.forEach(m -> rows.computeIfAbsent(m.rowKey(), k -> new ArrayList<>()).add(m));
    }

    /** Rows whose runs did not each run every job exactly once. */
    List<String> violations() {
        List<String> out = new ArrayList<>();
        rows.values().forEach(row -> {
            Tally t = total(row);
            if (!t.exactlyOnce()) {
                Measurement m = row.getFirst();
                out.add(m.system() + " / " + m.config() + " / " + m.figure().label() + ": duplicates = "
                        + t.duplicates() + ", missing = " + t.missing());
            }
        });
        return out;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| system | config | figure | median | ratio | duplicates | missing | CPU, % of one core |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---|\n");
        rows.values().forEach(row -> {
            Measurement m = row.getFirst();
            Tally t = total(row);
            String figure = m.figure().label() + " (" + m.figure().unit() + ")"
                    + (lastNote(row).isEmpty() ? "" : "; " + lastNote(row));
            sb.append("| ").append(m.system()).append(" | ").append(m.config()).append(" | ").append(figure)
                    .append(" | ").append(format(m.figure(), medians(row))).append(" | ").append(ratio(row))
                    .append(" | ").append(t.duplicates()).append(" | ").append(t.missing())
                    .append(" | ").append(cpu(row)).append(" |\n");
        });
        return sb.toString();
    }

    /** Every round's measurement, then the medians, one line each. */
    String csv() {
        TreeSet<String> processes = new TreeSet<>();
        rows.values().forEach(row -> row.forEach(m -> processes.addAll(m.cpu().keySet())));
        StringBuilder sb = new StringBuilder(
                "round,system,config,figure,unit,values,ratio,expected,duplicates,missing");
        processes.forEach(p -> sb.append(",cpu_pct_").append(p));
        sb.append(",note\n");
        rows.values().forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                Measurement m = row.get(i);
                line(sb, Integer.toString(i + 1), m, m.values(), "", m.tally(), m.cpu(), processes, m.note());
            }
            Measurement first = row.getFirst();
            line(sb, "median", first, medians(row), ratio(row), total(row), medianCpu(row), processes, lastNote(row));
        });
        return sb.toString();
    }

    private static void line(StringBuilder sb, String round, Measurement m, List<Double> values, String ratio,
            Tally tally, Map<String, Double> cpu, TreeSet<String> processes, String note) {
        sb.append(round).append(',').append(m.system()).append(',').append(quote(m.config())).append(',')
                .append(quote(m.figure().label())).append(',').append(m.figure().unit()).append(',')
                .append(values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v))
                        .collect(Collectors.joining(";")))
                .append(',').append(quote(ratio)).append(',').append(tally.expected()).append(',')
                .append(tally.duplicates()).append(',').append(tally.missing());
        processes.forEach(p -> sb.append(',').append(cpu.containsKey(p)
                ? String.format(Locale.ROOT, "%.1f", cpu.get(p)) : ""));
        sb.append(',').append(quote(note)).append('\n');
    }

    private String ratio(List<Measurement> row) {
        Measurement m = row.getFirst();
        double value = medians(row).getFirst();
        OptionalDouble base = switch (m.figure()) {
            case ENQUEUE_ONE, ENQUEUE_BATCH -> best(LimitBenchmark.SYSTEM, m.figure());
            case DRAIN -> best(LimitBenchmark.SYSTEM, Figure.DRAIN);
            case HISTORY_DRAIN, BACKLOG_DRAIN -> best(ConveyorBenchmark.SYSTEM, Figure.DRAIN);
            case LATENCY, RECOVERY, IDLE_CLAIM_READS -> OptionalDouble.empty();
        };
        if (base.isEmpty() || base.getAsDouble() <= 0) {
            return "—";
        }
        String text = String.format(Locale.ROOT, "%.2f", value / base.getAsDouble());
        return m.figure() == Figure.HISTORY_DRAIN || m.figure() == Figure.BACKLOG_DRAIN ? text + " × W1 drain" : text;
    }

    /** The highest median of {@code figure} among {@code system}'s rows. */
    private OptionalDouble best(String system, Figure figure) {
        return rows.values().stream().filter(r -> r.getFirst().system().equals(system)
                && r.getFirst().figure() == figure).mapToDouble(r -> medians(r).getFirst()).max();
    }

    private static List<Double> medians(List<Measurement> row) {
        int width = row.getFirst().values().size();
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            int index = i;
            out.add(Percentiles.median(row.stream().map(m -> m.values().get(index)).toList()));
        }
        return out;
    }

    private static Map<String, Double> medianCpu(List<Measurement> row) {
        Map<String, Double> out = new LinkedHashMap<>();
        row.getFirst().cpu().keySet().stream().sorted().forEach(p -> {
            List<Double> values = row.stream().filter(m -> m.cpu().containsKey(p)).map(m -> m.cpu().get(p)).toList();
            out.put(p, Percentiles.median(values));
        });
        return out;
    }

    private static String cpu(List<Measurement> row) {
        return medianCpu(row).entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.0f", e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static Tally total(List<Measurement> row) {
        return row.stream().map(Measurement::tally).reduce(new Tally(0, 0, 0), Tally::plus);
    }

    private static String lastNote(List<Measurement> row) {
        return row.getLast().note();
    }

    private static String format(Figure figure, List<Double> values) {
        String pattern = switch (figure.unit()) {
            case "jobs/s", "rows" -> "%,.0f";
            default -> "%.1f";
        };
        return values.stream().map(v -> String.format(Locale.ROOT, pattern, v)).collect(Collectors.joining(" / "));
    }

    private static String quote(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }
}
