package dev.conveyor.validation.job;

import dev.conveyor.device.CheckResult;
import dev.conveyor.device.DeviceSteps;
import dev.conveyor.validation.redfish.Chassis;
import dev.conveyor.validation.redfish.ComputerSystem;
import dev.conveyor.validation.redfish.Drive;
import dev.conveyor.validation.redfish.EthernetInterface;
import dev.conveyor.validation.redfish.Fan;
import dev.conveyor.validation.redfish.FirmwareComponent;
import dev.conveyor.validation.redfish.LogEntry;
import dev.conveyor.validation.redfish.MemoryModule;
import dev.conveyor.validation.redfish.PowerSupply;
import dev.conveyor.validation.redfish.Processor;
import dev.conveyor.validation.redfish.RedfishClient;
import dev.conveyor.validation.redfish.ResourceStatus;
import dev.conveyor.validation.redfish.Temperature;
import dev.conveyor.validation.redfish.ThermalReadings;
import dev.conveyor.rack.ReplacedComponent;
import dev.conveyor.rack.ServerSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One execution of the server validation checks against one BMC, in order: identity (the serial;
 * if it differs nothing else is checked, since it would describe another server), processors,
 * accelerators, memory, drives, nics (inventory against the profile), system-health, fans, power-supplies,
 * thermal (health against thresholds), firmware-bios and firmware-bmc (at or above the baseline),
 * event-log (no Critical entry newer than the job), and for a REPAIR replaced-component (present
 * and healthy). Every check runs even after one fails, so the technician learns every problem at once.
 */
final class ServerValidator {
    private static final long MIB_PER_GIB = 1024;

    private final ServerValidationJob spec;
    private final RedfishClient bmc;
    private final DeviceSteps steps;
    private final Instant jobCreated;
    private final List<CheckResult> checks = new ArrayList<>();

    ServerValidator(ServerValidationJob spec, RedfishClient bmc, DeviceSteps steps, Instant jobCreated) {
        this.spec = spec;
        this.bmc = bmc;
        this.steps = steps;
        this.jobCreated = jobCreated;
    }

    /** The checks, in the order they ran. */
    List<CheckResult> run() throws Exception {
        List<ComputerSystem> systems = steps.call("identity", bmc::systems);
        Optional<ComputerSystem> found = systems.stream().filter(s -> s.serialNumber().equals(spec.getSerial()))
                .findFirst().or(() -> systems.stream().findFirst());
        String observedSerial = found.map(ComputerSystem::serialNumber).orElse("no ComputerSystem");
        check(CheckResult.equal("identity", spec.getSerial(), observedSerial, "another server answers at BMC "
                + spec.getBmcAddress() + " (wrong server in U" + spec.getPositionU() + ", or wrong BMC address)"));
        if (found.isEmpty() || !found.get().serialNumber().equals(spec.getSerial())) {
            for (String name : List.of("processors", "accelerators", "memory", "drives", "nics", "system-health", "fans",
                    "power-supplies", "thermal", "firmware-bios", "firmware-bmc", "event-log")) {
                check(CheckResult.skipped(name, "not the planned server"));
            }
            return checks;
        }
        ComputerSystem system = found.get();
        List<Processor> cpus = steps.call("processors", () -> bmc.processors(system));
        check(HardwareVerdicts.processors(cpus, spec.getCpuModel(), spec.getCpuCount()));
        check(HardwareVerdicts.accelerators(cpus, spec.getAccelerators()));
        List<MemoryModule> dimms = steps.call("memory", () -> bmc.memory(system));
        check(memory(dimms));
        List<Drive> drives = steps.call("drives", () -> bmc.drives(system));
        check(HardwareVerdicts.drives(drives, spec.getDriveCount(), spec.getDriveMinGb()));
        List<EthernetInterface> nics = steps.call("nics", () -> bmc.ethernetInterfaces(system));
        check(HardwareVerdicts.nics(nics, spec.getNicCount(), spec.getNicSpeedsMbps()));
        check(system.status().healthy()
                ? CheckResult.pass("system-health", "OK", system.status().toString())
                : CheckResult.fail("system-health", "OK", system.status().toString(),
                        "the system reports itself unhealthy: read its event log"));
        List<Chassis> chassis = steps.call("fans", bmc::chassis);
        List<Fan> fans = new ArrayList<>();
        List<Temperature> temperatures = new ArrayList<>();
        for (Chassis c : chassis) {
            ThermalReadings readings = steps.call("fans", () -> bmc.thermal(c));
            fans.addAll(readings.fans());
            temperatures.addAll(readings.temperatures());
        }
        check(health("fans", fans.stream().filter(f -> present(f.status()) && !f.status().healthy())
                .map(f -> f.name() + " " + f.status().health()).toList(), fans.size() + " fans",
                "replace the failed fan(s)"));
        List<PowerSupply> supplies = new ArrayList<>();
        for (Chassis c : chassis) {
            supplies.addAll(steps.call("power-supplies", () -> bmc.powerSupplies(c)));
        }
        check(health("power-supplies", supplies.stream().filter(p -> present(p.status()) && !p.status().healthy())
                .map(p -> p.name() + " " + p.status().health()).toList(), supplies.size() + " power supplies",
                "check the power feed and the supply"));
        check(HardwareVerdicts.thermal(temperatures));
        List<FirmwareComponent> firmware = steps.call("firmware", bmc::firmwareInventory);
        check(firmware("firmware-bios", "BIOS", spec.getBiosMin(), firmware, system.biosVersion()));
        check(firmware("firmware-bmc", "BMC", spec.getBmcMin(), firmware, ""));
        List<LogEntry> entries = steps.call("event-log", () -> bmc.logEntries(system));
        check(eventLog(entries));
        if (spec.getReason() == ServerSpec.Reason.REPAIR) {
            check(replaced(cpus, dimms, drives, nics, fans, supplies));
        }
        return checks;
    }

    private CheckResult memory(List<MemoryModule> dimms) {
        long mib = dimms.stream().filter(d -> present(d.status())).mapToLong(MemoryModule::capacityMiB).sum();
        long gib = mib / MIB_PER_GIB;
        List<String> unhealthy = dimms.stream().filter(d -> present(d.status()) && !d.status().healthy())
                .map(d -> d.name() + " " + d.status().health()).toList();
        String expected = spec.getMemoryGib() + " GiB";
        String observed = gib + " GiB in " + dimms.stream().filter(d -> present(d.status())).count() + " DIMMs"
                + (unhealthy.isEmpty() ? "" : "; unhealthy: " + String.join(", ", unhealthy));
        if (gib < spec.getMemoryGib()) {
            return CheckResult.fail("memory", expected, observed, (spec.getMemoryGib() - gib)
                    + " GiB missing: reseat or replace the absent DIMM(s)");
        }
        return unhealthy.isEmpty() ? CheckResult.pass("memory", expected, observed)
                : CheckResult.fail("memory", expected, observed, "replace the unhealthy DIMM(s)");
    }

    private static CheckResult health(String name, List<String> bad, String what, String advice) {
        return bad.isEmpty() ? CheckResult.pass(name, "all OK", what + " OK")
                : CheckResult.fail(name, "all OK", String.join(", ", bad), advice);
    }

    private static CheckResult firmware(String name, String component, String baseline,
            List<FirmwareComponent> inventory, String fallback) {
        Optional<String> version = inventory.stream()
                .filter(f -> f.name().equalsIgnoreCase(component) || f.id().toUpperCase(Locale.ROOT).endsWith(component))
                .map(FirmwareComponent::version).findFirst()
                .or(() -> fallback.isEmpty() ? Optional.empty() : Optional.of(fallback));
        if (version.isEmpty()) {
            return CheckResult.fail(name, "≥ " + baseline, "not reported", component + " firmware is not in the inventory");
        }
        return HardwareVerdicts.firmware(name, component, baseline, version.get());
    }

    /**
     * BMCs date entries to the second, so an entry written just after the job was created may carry
     * the job's second: the job's time is truncated the same way. Entries without a date cannot be
     * placed before or after the job, so they are not counted.
     */
    private CheckResult eventLog(List<LogEntry> entries) {
        Instant since = jobCreated.truncatedTo(ChronoUnit.SECONDS);
        List<String> fresh = entries.stream().filter(LogEntry::critical)
                .filter(e -> e.created().map(t -> !t.toInstant().isBefore(since)).orElse(false))
                .map(e -> e.created().get() + " " + e.message()).toList();
        return fresh.isEmpty() ? CheckResult.pass("event-log", "no new Critical entries", entries.size() + " entries, none new and Critical")
                : CheckResult.fail("event-log", "no new Critical entries", String.join("; ", fresh),
                        "the BMC logged critical events since validation was requested");
    }

    private CheckResult replaced(List<Processor> cpus, List<MemoryModule> dimms, List<Drive> drives,
            List<EthernetInterface> nics, List<Fan> fans, List<PowerSupply> supplies) {
        String name = spec.getReplacedName();
        ReplacedComponent.Kind kind = ReplacedComponent.Kind.valueOf(spec.getReplacedKind());
        Optional<ResourceStatus> status = switch (kind) {
            case PROCESSOR -> cpus.stream().filter(c -> named(name, c.id(), c.name())).map(Processor::status).findFirst();
            case MEMORY -> dimms.stream().filter(d -> named(name, d.id(), d.name())).map(MemoryModule::status).findFirst();
            case DRIVE -> drives.stream().filter(d -> named(name, d.id(), d.name())).map(Drive::status).findFirst();
            case NIC -> nics.stream().filter(n -> named(name, n.id(), n.name())).map(EthernetInterface::status).findFirst();
            case FAN -> fans.stream().filter(f -> named(name, f.name(), f.name())).map(Fan::status).findFirst();
            case POWER_SUPPLY -> supplies.stream().filter(p -> named(name, p.name(), p.name())).map(PowerSupply::status)
                    .findFirst();
        };
        String expected = kind + " " + name + " present and OK";
        if (status.isEmpty()) {
            return CheckResult.fail("replaced-component", expected, "not found", "the BMC does not list the replaced part");
        }
        boolean ok = present(status.get()) && status.get().healthy();
        return ok ? CheckResult.pass("replaced-component", expected, status.get().toString())
                : CheckResult.fail("replaced-component", expected, status.get().toString(),
                        "the replaced part is absent or unhealthy: reseat or replace it again");
    }

    private static boolean named(String wanted, String id, String name) {
        return wanted.equalsIgnoreCase(name) || wanted.equalsIgnoreCase(id);
    }

    private static boolean present(ResourceStatus status) {
        return status.present();
    }

    private void check(CheckResult result) {
        checks.add(result);
        steps.record(result);
    }
}
