package dev.conveyor.validation.provision;

import dev.conveyor.device.DeviceSteps;
import dev.conveyor.validation.provision.ProvisionRequest.FirmwareImage;
import dev.conveyor.validation.redfish.BiosSettings;
import dev.conveyor.validation.redfish.ComputerSystem;
import dev.conveyor.validation.redfish.RedfishActions;
import dev.conveyor.validation.redfish.RedfishClient;
import dev.conveyor.validation.redfish.SystemPower;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One execution of a provisioning request against one BMC, step by step, each step a job event:
 *
 * <ol>
 *   <li>identity — the BMC must report the request's serial, else nothing is touched;
 *   <li>firmware-&lt;component&gt; — {@link FirmwareStep}, one per image;
 *   <li>bios-settings — attributes that differ from the Bios resource's are PATCHed to its
 *       settings object ({@code @Redfish.Settings.SettingsObject}), to apply at the next reset;
 *   <li>boot-override — {@code Boot.BootSourceOverrideTarget: Pxe},
 *       {@code BootSourceOverrideEnabled: Once}, PATCHed on the ComputerSystem;
 *   <li>power-reset — {@code #ComputerSystem.Reset} (ForceRestart when On, On when Off) when
 *       something waits for a reset, then waits until {@code PowerState} is On again;
 *   <li>bios-verify and firmware-&lt;component&gt;-verify — after the reset, the staged values are in effect.
 * </ol>
 *
 * A step whose device already is in the target state writes nothing and is recorded UNCHANGED. The
 * boot override and the reset cannot be read back once done (the override is consumed by the boot),
 * so an attempt that finds a successful power-reset by an earlier attempt of the same job does not
 * repeat them. Before each write the lease is checked ({@link LeaseGuard}).
 */
final class Provisioner {
    static final String PXE = "Pxe";
    static final String ONCE = "Once";
    private static final Set<String> TRANSITIONAL = Set.of("PoweringOn", "PoweringOff", "Off", "Paused");

    private final ProvisionRequest request;
    private final RedfishClient bmc;
    private final RedfishActions actions;
    private final DeviceSteps steps;
    private final LeaseGuard lease;
    private final Waiter waiter;
    /** Steps an earlier attempt of this job recorded CHANGED. */
    private final Set<String> doneBefore;
    private final Map<String, String> verdicts = new LinkedHashMap<>();

    Provisioner(ProvisionRequest request, RedfishClient bmc, DeviceSteps steps, LeaseGuard lease, Waiter waiter,
            Set<String> doneBefore) {
        this.request = request;
        this.bmc = bmc;
        this.actions = bmc.actions();
        this.steps = steps;
        this.lease = lease;
        this.waiter = waiter;
        this.doneBefore = Set.copyOf(doneBefore);
    }

    /** @return each step's verdict, in the order they ran */
    Map<String, String> run() throws Exception {
        ComputerSystem system = identity();
        FirmwareStep firmware = new FirmwareStep(bmc, steps, lease, waiter, Duration.ofSeconds(request.taskTimeout()));
        List<FirmwareImage> stagedFirmware = new ArrayList<>();
        for (FirmwareImage image : request.firmware()) {
            StepVerdict verdict = firmware.run(image);
            verdicts.put(FirmwareStep.stepName(image), verdict.name());
            if (verdict == StepVerdict.STAGED) {
                stagedFirmware.add(image);
            }
        }
        StepVerdict bios = biosSettings(system);
        StepVerdict boot = bootOverride(system);
        boolean waiting = bios == StepVerdict.STAGED || boot == StepVerdict.CHANGED || boot == StepVerdict.STAGED
                || !stagedFirmware.isEmpty();
        powerReset(system, waiting);
        if (bios != StepVerdict.SKIPPED) {
            biosVerify(system);
        }
        for (FirmwareImage image : stagedFirmware) {
            firmware.verifyAfterReset(image);
        }
        return verdicts;
    }

    private ComputerSystem identity() throws Exception {
        List<ComputerSystem> systems = steps.call("identity", bmc::systems);
        Optional<ComputerSystem> found = systems.stream().filter(s -> s.serialNumber().equals(request.serial()))
                .findFirst();
        if (found.isEmpty()) {
            throw refuse("identity", "the BMC at " + request.bmcAddress() + " reports "
                    + systems.stream().map(ComputerSystem::serialNumber).toList() + ", not " + request.serial()
                    + " (wrong server or wrong BMC address): nothing was touched");
        }
        steps.record("identity", "OK", "the BMC reports " + request.serial());
        return found.get();
    }

    private StepVerdict biosSettings(ComputerSystem system) throws Exception {
        String step = "bios-settings";
        if (request.biosAttributes().isEmpty()) {
            return verdict(step, StepVerdict.SKIPPED);
        }
        BiosSettings bios = steps.call(step, () -> actions.bios(system.odataId()))
                .orElseThrow(() -> refuse(step, "the system links no Bios resource: its BIOS cannot be configured"
                        + " over Redfish"));
        List<String> unknown = request.biosAttributes().keySet().stream()
                .filter(name -> !bios.attributes().containsKey(name)).toList();
        if (!unknown.isEmpty()) {
            throw refuse(step, "the BIOS has no attribute " + String.join(", ", unknown) + " (wrong name for this"
                    + " vendor's attribute registry?): nothing was written");
        }
        Map<String, String> differ = new LinkedHashMap<>();
        request.biosAttributes().forEach((name, value) -> {
            if (!value.equals(bios.attributes().get(name))) {
                differ.put(name, value);
            }
        });
        if (differ.isEmpty()) {
            steps.record(step, StepVerdict.UNCHANGED.name(), request.biosAttributes().size()
                    + " attributes already set; not touched");
            return verdict(step, StepVerdict.UNCHANGED);
        }
        String settings = bios.settingsObject().orElseThrow(() -> refuse(step, "the Bios resource offers no "
                + "@Redfish.Settings object to stage changes in"));
        boolean alreadyStaged = differ.entrySet().stream()
                .allMatch(e -> e.getValue().equals(bios.pending().get(e.getKey())));
        if (alreadyStaged) {
            steps.record(step, StepVerdict.STAGED.name(), differ.keySet() + " already staged in " + settings
                    + "; not written again, applied at the next reset");
            return verdict(step, StepVerdict.STAGED);
        }
        lease.beforeWrite(step + " PATCH " + settings);
        steps.call(step, () -> {
            actions.stageBiosAttributes(settings, differ);
            return null;
        });
        steps.record(step, StepVerdict.STAGED.name(), "staged " + differ + " (was "
                + differ.keySet().stream().map(k -> k + "=" + bios.attributes().get(k)).toList()
                + "); applied at the next reset");
        return verdict(step, StepVerdict.STAGED);
    }

    private StepVerdict bootOverride(ComputerSystem system) throws Exception {
        String step = "boot-override";
        if (!request.pxe()) {
            return verdict(step, StepVerdict.SKIPPED);
        }
        if (doneBefore.contains("power-reset")) {
            steps.record(step, StepVerdict.UNCHANGED.name(), "an earlier attempt of this job booted the server"
                    + " from PXE already; not repeated");
            return verdict(step, StepVerdict.UNCHANGED);
        }
        SystemPower power = steps.call(step, () -> actions.power(system.odataId()));
        if (PXE.equals(power.overrideTarget()) && ONCE.equals(power.overrideEnabled())) {
            steps.record(step, StepVerdict.UNCHANGED.name(), "a one-time PXE boot is already set; not touched");
            verdict(step, StepVerdict.UNCHANGED);
            return StepVerdict.STAGED; // set, but still waiting for its boot
        }
        if (!power.allowedTargets().isEmpty() && !power.allowedTargets().contains(PXE)) {
            throw refuse(step, "the system does not offer Pxe as a boot override (it allows "
                    + power.allowedTargets() + ")");
        }
        lease.beforeWrite(step + " PATCH " + system.odataId());
        steps.call(step, () -> {
            actions.overrideBoot(system.odataId(), PXE, ONCE);
            return null;
        });
        steps.record(step, StepVerdict.CHANGED.name(), "one-time boot from Pxe set (was "
                + power.overrideTarget() + "/" + power.overrideEnabled() + ")");
        return verdict(step, StepVerdict.CHANGED);
    }

    private void powerReset(ComputerSystem system, boolean waiting) throws Exception {
        String step = "power-reset";
        SystemPower before = steps.call(step, () -> actions.power(system.odataId()));
        if (before.powerState().isEmpty()) {
            throw refuse(step, "the system reports no PowerState: its power cannot be followed");
        }
        boolean on = before.powerState().equals("On");
        if (on && (!waiting || doneBefore.contains(step))) {
            steps.record(step, StepVerdict.UNCHANGED.name(), "PowerState On" + (waiting
                    ? "; an earlier attempt of this job reset it already" : " and nothing waits for a reset")
                    + "; not touched");
            verdict(step, StepVerdict.UNCHANGED);
            return;
        }
        String target = before.resetTarget().orElseThrow(() -> refuse(step,
                "the system offers no #ComputerSystem.Reset action"));
        String resetType = on ? restartType(step, before.allowedResetTypes()) : "On";
        if (!before.allowedResetTypes().isEmpty() && !before.allowedResetTypes().contains(resetType)) {
            throw refuse(step, "ResetType " + resetType + " is not offered (allowed: " + before.allowedResetTypes() + ")");
        }
        lease.beforeWrite(step + " " + resetType);
        steps.call(step, () -> {
            actions.reset(target, resetType);
            return null;
        });
        awaitOn(step, system, before, resetType);
        verdict(step, StepVerdict.CHANGED);
    }

    /** ForceRestart: a server being provisioned has no OS yet to shut down gracefully. */
    private String restartType(String step, List<String> allowed) {
        if (allowed.isEmpty()) {
            return "ForceRestart";
        }
        for (String type : List.of("ForceRestart", "PowerCycle", "GracefulRestart")) {
            if (allowed.contains(type)) {
                return type;
            }
        }
        throw refuse(step, "the system offers no way to restart (ResetType allowed: " + allowed + ")");
    }

    /**
     * Waits until the system is On again after the reset. "On" alone does not prove a restart
     * happened (a BMC may still show On just after the request), so the system must also have been
     * seen in another state, or have moved its LastResetTime or BootProgress on.
     */
    private void awaitOn(String step, ComputerSystem system, SystemPower before, String resetType) throws Exception {
        Duration timeout = Duration.ofSeconds(request.resetTimeout());
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean left = !before.powerState().equals("On");
        SystemPower now = steps.call(step, () -> actions.power(system.odataId()));
        while (true) {
            left |= TRANSITIONAL.contains(now.powerState());
            boolean moved = left || (!now.lastResetTime().isEmpty() && !now.lastResetTime().equals(before.lastResetTime()))
                    || (!now.bootProgress().isEmpty() && !now.bootProgress().equals(before.bootProgress()));
            if (now.powerState().equals("On") && moved) {
                steps.record(step, StepVerdict.CHANGED.name(), resetType + ": PowerState " + before.powerState()
                        + " → On");
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw refuse(step, "after " + resetType + " the system did not come back On within "
                        + timeout.toSeconds() + " s: PowerState is " + now.powerState()
                        + (now.bootProgress().isEmpty() ? "" : ", BootProgress " + now.bootProgress())
                        + " (hung in POST? look at the server's console)");
            }
            waiter.pause();
            now = steps.call(step, () -> actions.power(system.odataId()));
        }
    }

    private void biosVerify(ComputerSystem system) throws Exception {
        String step = "bios-verify";
        BiosSettings bios = steps.call(step, () -> actions.bios(system.odataId())).orElseThrow(() -> refuse(step,
                "the Bios resource is gone after the reset"));
        List<String> wrong = request.biosAttributes().entrySet().stream()
                .filter(e -> !e.getValue().equals(bios.attributes().get(e.getKey())))
                .map(e -> e.getKey() + "=" + bios.attributes().get(e.getKey()) + " (wanted " + e.getValue() + ")")
                .toList();
        if (!wrong.isEmpty()) {
            throw refuse(step, "after the reset the BIOS runs with " + String.join(", ", wrong)
                    + ": the BMC did not apply the staged settings");
        }
        steps.record(step, "OK", request.biosAttributes().size() + " attributes in effect");
        verdicts.put(step, "OK");
    }

    private StepVerdict verdict(String step, StepVerdict verdict) {
        verdicts.put(step, verdict.name());
        return verdict;
    }

    private ProvisionRefusedException refuse(String step, String message) {
        steps.record(step, "FAIL", message);
        return new ProvisionRefusedException(step, message);
    }
}
