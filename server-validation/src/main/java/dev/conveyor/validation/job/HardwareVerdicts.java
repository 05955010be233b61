package dev.conveyor.validation.job;

import dev.conveyor.device.CheckResult;
import dev.conveyor.rack.FirmwareVersion;
import dev.conveyor.rack.HardwareProfile.Accelerator;
import dev.conveyor.validation.redfish.Drive;
import dev.conveyor.validation.redfish.EthernetInterface;
import dev.conveyor.validation.redfish.Health;
import dev.conveyor.validation.redfish.Processor;
import dev.conveyor.validation.redfish.ResourceStatus;
import dev.conveyor.validation.redfish.Temperature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The verdicts of the inventory and sensor checks, from what the BMC reported and what the profile
 * expects; they read nothing themselves. Rules every check shares: an absent slot (state Absent) is
 * neither counted nor judged; a status the BMC does not report is read as enabled and of unknown
 * health, and only Warning or Critical count as unhealthy.
 */
final class HardwareVerdicts {
    private static final long BYTES_PER_GB = 1_000_000_000L;

    private HardwareVerdicts() {}

    /**
     * Exactly {@code count} CPUs (ProcessorType CPU, present and enabled) of {@code model}, none
     * unhealthy. Other processors (FPGA, GPU, …) are listed after them but not counted: the
     * accelerators check judges those.
     */
    static CheckResult processors(List<Processor> all, String model, int count) {
        List<Processor> cpus = all.stream().filter(Processor::cpu).filter(p -> p.status().present()).toList();
        List<Processor> enabled = cpus.stream().filter(p -> enabled(p.status())).toList();
        List<String> notEnabled = cpus.stream().filter(p -> !enabled(p.status()))
                .map(p -> p.name() + " " + p.status().state()).toList();
        List<String> unhealthy = enabled.stream().filter(p -> unhealthy(p.status()))
                .map(p -> p.name() + " " + p.status().health()).toList();
        List<Processor> others = all.stream().filter(p -> !p.cpu() && p.status().present()).toList();
        String expected = count + " × " + model;
        String observed = or(tally(enabled, Processor::model), "no CPU")
                + part("not enabled", notEnabled) + part("unhealthy", unhealthy)
                + (others.isEmpty() ? "" : "; besides the CPUs: " + tally(others, HardwareVerdicts::typed));
        boolean ok = enabled.size() == count && enabled.stream().allMatch(p -> p.model().equals(model))
                && unhealthy.isEmpty();
        return ok ? CheckResult.pass("processors", expected, observed)
                : CheckResult.fail("processors", expected, observed, unhealthy.isEmpty() && notEnabled.isEmpty()
                        ? "CPUs differ from the profile" : "CPUs are disabled or unhealthy: reseat or replace them");
    }

    /**
     * The profile's accelerators, kind by kind: exactly the expected number of present processors of
     * that type and model, none unhealthy, and no kind the profile does not name. SKIPPED when the
     * profile names none: a profile that does not mention accelerators does not judge them.
     */
    static CheckResult accelerators(List<Processor> all, List<Accelerator> expected) {
        List<Processor> present = all.stream().filter(p -> !p.cpu() && p.status().present()).toList();
        String observed = or(tally(present, HardwareVerdicts::typed), "none");
        if (expected.isEmpty()) {
            return CheckResult.skipped("accelerators", "the profile names no accelerators (the BMC reports "
                    + observed + ")");
        }
        Map<String, Long> want = new TreeMap<>();
        expected.forEach(a -> want.merge(a.model() + " (" + a.type() + ")", (long) a.count(), Long::sum));
        Map<String, Long> have = present.stream().collect(Collectors.groupingBy(HardwareVerdicts::typed,
                TreeMap::new, Collectors.counting()));
        List<String> unhealthy = present.stream().filter(p -> unhealthy(p.status()))
                .map(p -> p.name() + " " + p.status().health()).toList();
        String expectedText = want.entrySet().stream().map(e -> e.getValue() + " × " + e.getKey())
                .collect(Collectors.joining(", "));
        boolean ok = have.equals(want) && unhealthy.isEmpty();
        return ok ? CheckResult.pass("accelerators", expectedText, observed)
                : CheckResult.fail("accelerators", expectedText, observed + part("unhealthy", unhealthy),
                        "accelerators differ from the profile or are unhealthy");
    }

    /** At least {@code count} present, healthy drives of at least {@code minGb}; absent bays are not drives. */
    static CheckResult drives(List<Drive> all, int count, int minGb) {
        List<Drive> present = all.stream().filter(d -> d.status().present()).toList();
        List<String> unhealthy = present.stream().filter(d -> unhealthy(d.status()))
                .map(d -> d.name() + " " + d.status().health()).toList();
        List<String> small = present.stream().filter(d -> d.capacityBytes() < minGb * BYTES_PER_GB)
                .map(d -> d.name() + " " + d.capacityBytes() / BYTES_PER_GB + " GB").toList();
        long qualify = present.stream().filter(d -> !unhealthy(d.status()) && d.capacityBytes() >= minGb * BYTES_PER_GB)
                .count();
        String expected = "at least " + count + " healthy drives of " + minGb + " GB";
        String observed = qualify + " of " + present.size() + " drives qualify" + part("unhealthy", unhealthy)
                + part("too small", small);
        if (qualify >= count) {
            return CheckResult.pass("drives", expected, observed);
        }
        List<String> advice = new ArrayList<>();
        if (!unhealthy.isEmpty()) {
            advice.add("replace " + String.join(", ", unhealthy));
        }
        if (!small.isEmpty()) {
            advice.add("swap the small drive(s) " + String.join(", ", small));
        }
        if (present.size() < count) {
            advice.add((count - present.size()) + " drive(s) missing");
        }
        return CheckResult.fail("drives", expected, observed, String.join("; ", advice));
    }

    /**
     * At least {@code count} physical ports (VLANs, the host interface to the BMC and other virtual
     * interfaces are not NICs), and each expected speed met by its own port that is LinkUp, enabled
     * and healthy, at least that fast.
     */
    static CheckResult nics(List<EthernetInterface> all, int count, List<Integer> speeds) {
        List<EthernetInterface> ports = all.stream().filter(n -> n.physical() && n.status().present()).toList();
        List<EthernetInterface> usable = ports.stream()
                .filter(n -> n.linkUp() && enabled(n.status()) && !unhealthy(n.status())).toList();
        List<String> down = ports.stream().filter(n -> !usable.contains(n))
                .map(n -> n.name() + " " + or(n.linkStatus(), "link unknown") + "/" + n.status()).toList();
        List<String> notPorts = all.stream().filter(n -> !n.physical())
                .map(n -> n.name() + " (" + n.role().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")").toList();
        List<Integer> up = usable.stream().filter(n -> n.speedMbps().isPresent()).map(n -> n.speedMbps().getAsInt())
                .sorted(Comparator.reverseOrder()).toList();
        List<Integer> wanted = speeds.stream().sorted(Comparator.reverseOrder()).toList();
        boolean ok = ports.size() >= count && up.size() >= wanted.size();
        for (int i = 0; ok && i < wanted.size(); i++) {
            ok = up.get(i) >= wanted.get(i);
        }
        String expected = count + " ports up at " + wanted + " Mb/s";
        String observed = ports.size() + " ports, up and healthy at " + up + " Mb/s" + part("down or unhealthy", down)
                + part("not counted", notPorts);
        return ok ? CheckResult.pass("nics", expected, observed)
                : CheckResult.fail("nics", expected, observed, down.isEmpty()
                        ? "network ports are missing or slower than planned"
                        : "network ports are down or unhealthy: check the cable and the port of " + String.join(", ", down));
    }

    /**
     * No temperature at or above its upper critical threshold, and none whose health is Critical.
     * A reading with neither a threshold nor a health cannot be judged; with no sensor to judge the
     * check is SKIPPED, never passed.
     */
    static CheckResult thermal(List<Temperature> temperatures) {
        String expected = "every sensor below its critical threshold";
        List<Temperature> judged = temperatures.stream().filter(t -> t.upperCriticalCelsius().isPresent()
                && t.readingCelsius().isPresent() || t.status().health() != Health.UNKNOWN).toList();
        if (judged.isEmpty()) {
            return CheckResult.skipped("thermal", temperatures.isEmpty()
                    ? "the BMC reports no temperature (no Sensors, Thermal or ThermalMetrics readings)"
                    : "none of the " + temperatures.size() + " temperatures has a critical threshold or a health");
        }
        List<String> hot = new ArrayList<>();
        for (Temperature t : judged) {
            if (t.atOrAboveCritical()) {
                hot.add(t.name() + " " + t.readingCelsius().getAsDouble() + "°C ≥ " + t.upperCriticalCelsius().getAsDouble()
                        + "°C");
            } else if (t.status().health() == Health.CRITICAL) {
                hot.add(t.name() + " health Critical");
            }
        }
        int unjudged = temperatures.size() - judged.size();
        String notJudged = unjudged == 0 ? "" : "; " + unjudged + " without threshold or health not judged";
        return hot.isEmpty() ? CheckResult.pass("thermal", expected, judged.size() + " sensors below" + notJudged)
                : CheckResult.fail("thermal", expected, String.join(", ", hot) + notJudged,
                        "the server runs too hot: check airflow and fans");
    }

    /** At or above the baseline by {@link FirmwareVersion}'s order; a version without an order against it fails. */
    static CheckResult firmware(String name, String component, String baseline, String version) {
        String expected = "≥ " + baseline;
        FirmwareVersion.Comparison comparison = FirmwareVersion.compare(version, baseline);
        return switch (comparison.order()) {
            case AT_LEAST -> CheckResult.pass(name, expected, version);
            case BELOW -> CheckResult.fail(name, expected, version, component + " firmware " + version
                    + " is below the baseline " + baseline + ": update it");
            case INCOMPARABLE -> CheckResult.fail(name, expected, version, component + " firmware " + version
                    + " cannot be compared with the baseline " + baseline + ": " + comparison.reason()
                    + "; check the version by hand and correct the profile's baseline");
        };
    }

    private static boolean enabled(ResourceStatus status) {
        return status.state().equals("Enabled") || status.state().equals("Unknown");
    }

    private static boolean unhealthy(ResourceStatus status) {
        return status.health() == Health.WARNING || status.health() == Health.CRITICAL;
    }

    private static String typed(Processor p) {
        return p.model() + " (" + p.processorType() + ")";
    }

    /** "2 × Xeon Gold, 1 × Xeon Silver", in order of the key. */
    private static <T> String tally(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting())).entrySet()
                .stream().map(e -> e.getValue() + " × " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String part(String label, List<String> items) {
        return items.isEmpty() ? "" : "; " + label + ": " + String.join(", ", items);
    }

    private static String or(String text, String otherwise) {
        return text.isEmpty() ? otherwise : text;
    }
}
