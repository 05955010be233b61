package dev.conveyor.validation.provision;

import dev.conveyor.device.DeviceSteps;
import dev.conveyor.validation.provision.ProvisionRequest.FirmwareImage;
import dev.conveyor.validation.redfish.FirmwareComponent;
import dev.conveyor.validation.redfish.RedfishActions;
import dev.conveyor.validation.redfish.RedfishClient;
import dev.conveyor.validation.redfish.TaskProgress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Brings one firmware component to its target version: reads the version from
 * {@code UpdateService/FirmwareInventory} (equal to the target: nothing is written), else POSTs
 * {@code UpdateService.SimpleUpdate} with the image's URI and follows the returned task to its end,
 * then reads the inventory again. A service that applies the image at the next reset (the task
 * completes, the inventory still shows the old version) leaves the step STAGED; the provisioner
 * resets the system and checks the version after it ({@link #verifyAfterReset}).
 */
final class FirmwareStep {
    private final RedfishClient bmc;
    private final RedfishActions actions;
    private final DeviceSteps steps;
    private final LeaseGuard lease;
    private final Waiter waiter;
    private final Duration taskTimeout;

    FirmwareStep(RedfishClient bmc, DeviceSteps steps, LeaseGuard lease, Waiter waiter, Duration taskTimeout) {
        this.bmc = bmc;
        this.actions = bmc.actions();
        this.steps = steps;
        this.lease = lease;
        this.waiter = waiter;
        this.taskTimeout = taskTimeout;
    }

    static String stepName(FirmwareImage image) {
        return "firmware-" + image.component().toLowerCase(Locale.ROOT).replace(' ', '-');
    }

    StepVerdict run(FirmwareImage image) throws Exception {
        String step = stepName(image);
        String before = version(step, image);
        if (same(before, image.version())) {
            steps.record(step, StepVerdict.UNCHANGED.name(), image.component() + " already runs " + before
                    + "; not touched");
            return StepVerdict.UNCHANGED;
        }
        String target = steps.call(step, actions::simpleUpdateTarget);
        lease.beforeWrite(step + " SimpleUpdate " + image.imageUri());
        Optional<String> monitor = steps.call(step, () -> actions.simpleUpdate(target, image.imageUri()));
        String task = "";
        if (monitor.isPresent()) {
            TaskProgress end = follow(step, monitor.get());
            task = " (task " + end.monitor() + " " + end.state() + ")";
        }
        String after = version(step, image);
        if (same(after, image.version())) {
            steps.record(step, StepVerdict.CHANGED.name(), image.component() + " updated from " + before + " to "
                    + after + task);
            return StepVerdict.CHANGED;
        }
        steps.record(step, StepVerdict.STAGED.name(), image.component() + " image " + image.version()
                + " accepted" + task + "; the inventory still reports " + after + ": applied at the next reset");
        return StepVerdict.STAGED;
    }

    /** After the reset: the inventory must now report the target version. */
    void verifyAfterReset(FirmwareImage image) throws Exception {
        String step = stepName(image) + "-verify";
        String now = version(step, image);
        if (!same(now, image.version())) {
            throw refuse(step, image.component() + " still reports " + now + " after the reset, not "
                    + image.version() + ": the BMC did not apply the image");
        }
        steps.record(step, "OK", image.component() + " runs " + now + " after the reset");
    }

    private TaskProgress follow(String step, String monitor) throws Exception {
        long deadline = System.nanoTime() + taskTimeout.toNanos();
        TaskProgress progress = steps.call(step, () -> actions.task(monitor));
        while (!progress.ended()) {
            if (System.nanoTime() - deadline > 0) {
                throw refuse(step, "update task " + monitor + " still " + progress.state()
                        + (progress.percent() >= 0 ? " at " + progress.percent() + "%" : "") + " after "
                        + taskTimeout.toSeconds() + " s; not retried, since a second update would race the first");
            }
            waiter.pause();
            progress = steps.call(step, () -> actions.task(monitor));
        }
        if (!progress.succeeded()) {
            throw refuse(step, "update task " + monitor + " ended " + progress.state()
                    + (progress.status().isEmpty() ? "" : " (" + progress.status() + ")")
                    + (progress.messages().isEmpty() ? "" : ": " + String.join("; ", progress.messages())));
        }
        return progress;
    }

    private String version(String step, FirmwareImage image) throws Exception {
        List<FirmwareComponent> inventory = steps.call(step, bmc::firmwareInventory);
        String wanted = image.component().toUpperCase(Locale.ROOT);
        return inventory.stream()
                .filter(f -> f.name().equalsIgnoreCase(image.component())
                        || f.id().toUpperCase(Locale.ROOT).endsWith(wanted))
                .map(FirmwareComponent::version).findFirst()
                .orElseThrow(() -> refuse(step, image.component() + " is not in the BMC's FirmwareInventory (it lists "
                        + inventory.stream().map(FirmwareComponent::name).toList() + "): nothing to update"));
    }

    private ProvisionRefusedException refuse(String step, String message) {
        steps.record(step, "FAIL", message);
        return new ProvisionRefusedException(step, message);
    }

    /** Versions are compared as the inventory writes them, ignoring case and surrounding spaces. */
    static boolean same(String observed, String target) {
        return observed.strip().equalsIgnoreCase(target.strip());
    }
}
