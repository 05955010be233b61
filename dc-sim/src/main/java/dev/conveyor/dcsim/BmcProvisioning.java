package dev.conveyor.dcsim;

import dev.conveyor.rack.HardwareProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What provisioning changes on one simulated BMC, and how it behaves over time: firmware installed
 * by update tasks (a BMC image when its task completes, a BIOS image at the next reset, as real
 * servers apply them), BIOS attributes staged in the settings object and applied at the next reset,
 * the boot override consumed by the next boot, and the power state during a reset.
 *
 * <p>Time is the simulator's clock: states are advanced lazily, on each request ({@link #advance}).
 * Request threads share an instance; every method is synchronized.
 */
public final class BmcProvisioning {
    /** The BIOS attributes of a fresh server, named as in a typical vendor attribute registry. */
    static final Map<String, String> DEFAULT_BIOS = Map.of(
            "BootMode", "Uefi",
            "SriovGlobalEnable", "Disabled",
            "ProcVirtualization", "Enabled",
            "LogicalProc", "Enabled",
            "SysProfile", "PerfPerWattOptimizedDapc",
            "PxeDev1EnDis", "Disabled",
            "WorkloadProfile", "NotConfigured");

    /** An update task; its end is decided when it is created, and takes effect once it is reached. */
    record SimTask(String id, String component, String version, String imageUri, Instant started, Instant ends,
            String failure) {
        boolean ended(Instant now) {
            return !now.isBefore(ends);
        }
    }

    private final HardwareProfile profile;
    private final DeviceFaults faults;
    private final Clock clock;
    private final Supplier<ProvisioningTimes> times;
    private final Map<String, String> installed = new LinkedHashMap<>();
    /** BIOS images whose task completed, applied at the next reset. */
    private final Map<String, String> stagedFirmware = new LinkedHashMap<>();
    private final Map<String, String> bios = new LinkedHashMap<>(DEFAULT_BIOS);
    private final Map<String, String> pendingBios = new LinkedHashMap<>();
    private final Map<String, SimTask> tasks = new LinkedHashMap<>();
    private final List<String> applied = new ArrayList<>();
    private final List<String> boots = new ArrayList<>();
    private String overrideTarget = "None";
    private String overrideEnabled = "Disabled";
    private String powerState = "On";
    private Instant resetEnds;
    private Instant lastResetTime;
    private String bootProgress = "OSRunning";
    private int writes;
    private int resets;

    BmcProvisioning(HardwareProfile profile, DeviceFaults faults, Clock clock, Supplier<ProvisioningTimes> times) {
        this.profile = profile;
        this.faults = faults;
        this.clock = clock;
        this.times = times;
        this.lastResetTime = clock.instant();
    }

    Instant now() {
        return clock.instant();
    }

    /** Moves tasks and a reset on to where the clock says they are. */
    synchronized void advance() {
        Instant now = clock.instant();
        for (SimTask task : tasks.values()) {
            if (task.failure() == null && task.ended(now) && !applied.contains(task.id())) {
                applied.add(task.id());
                if (task.component().equals("BIOS")) {
                    stagedFirmware.put(task.component(), task.version());
                } else {
                    installed.put(task.component(), task.version());
                }
            }
        }
        if (resetEnds != null && !now.isBefore(resetEnds) && !faults.has(Fault.ResetHangs.class)) {
            resetEnds = null;
            powerState = "On";
            bootProgress = "OSRunning";
            bios.putAll(pendingBios);
            pendingBios.clear();
            installed.putAll(stagedFirmware);
            stagedFirmware.clear();
            boots.add(overrideEnabled.equals("Disabled") ? "Hdd" : overrideTarget);
            if (overrideEnabled.equals("Once")) {
                overrideEnabled = "Disabled";
                overrideTarget = "None";
            }
        }
    }

    /** Starts an update; the component is the one the profile's provisioning block names for this image. */
    synchronized SimTask startUpdate(String imageUri) {
        writes++;
        Instant now = clock.instant();
        String id = "JID_" + (1000 + tasks.size());
        Optional<String> component = profile.provisioning() == null ? Optional.empty()
                : profile.provisioning().firmwareImages().entrySet().stream()
                        .filter(e -> e.getValue().equals(imageUri)).map(e -> e.getKey().toUpperCase(Locale.ROOT))
                        .findFirst();
        String failure = null;
        String version = "";
        if (component.isEmpty()) {
            failure = "Unable to download the image from " + imageUri + ": not found";
        } else {
            version = component.get().equals("BIOS") ? profile.firmware().bios() : profile.firmware().bmc();
            String name = component.get();
            failure = faults.all(Fault.ImageFails.class).filter(f -> f.component().equalsIgnoreCase(name))
                    .map(Fault.ImageFails::message).findFirst().orElse(null);
        }
        SimTask task = new SimTask(id, component.orElse(""), version, imageUri, now, now.plus(times.get().task()),
                failure);
        tasks.put(id, task);
        return task;
    }

    synchronized Optional<SimTask> task(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    synchronized List<SimTask> tasks() {
        return List.copyOf(tasks.values());
    }

    /** @return the names that are not attributes of this BIOS; nothing is staged then */
    synchronized List<String> stageBios(Map<String, String> attributes) {
        List<String> unknown = attributes.keySet().stream().filter(name -> !bios.containsKey(name)).toList();
        if (unknown.isEmpty()) {
            writes++;
            pendingBios.putAll(attributes);
        }
        return unknown;
    }

    synchronized void overrideBoot(String target, String enabled) {
        writes++;
        if (target != null) {
            overrideTarget = target;
        }
        if (enabled != null) {
            overrideEnabled = enabled;
        }
    }

    /** Applies a ResetType; the caller has checked that it is one of {@link BmcActions#RESET_TYPES}. */
    synchronized void reset(String type) {
        writes++;
        Instant now = clock.instant();
        switch (type) {
            case "ForceOff", "GracefulShutdown" -> {
                powerState = "Off";
                resetEnds = null;
                bootProgress = "None";
            }
            case "On" -> {
                if (!powerState.equals("On")) {
                    restart(now);
                }
            }
            default -> restart(now);
        }
    }

    private void restart(Instant now) {
        resets++;
        powerState = "PoweringOn";
        bootProgress = "SystemHardwareInitializationComplete";
        lastResetTime = now;
        resetEnds = now.plus(times.get().reset());
    }

    synchronized String installed(String component, String reported) {
        return installed.getOrDefault(component, reported);
    }

    synchronized boolean hasInstalled(String component) {
        return installed.containsKey(component);
    }

    synchronized Map<String, String> bios() {
        return Map.copyOf(bios);
    }

    synchronized Map<String, String> pendingBios() {
        return Map.copyOf(pendingBios);
    }

    synchronized String powerState() {
        return powerState;
    }

    synchronized String overrideTarget() {
        return overrideTarget;
    }

    synchronized String overrideEnabled() {
        return overrideEnabled;
    }

    synchronized Instant lastResetTime() {
        return lastResetTime;
    }

    synchronized String bootProgress() {
        return bootProgress;
    }

    /** Requests that changed something on this BMC (updates, BIOS and boot PATCHes, resets). */
    public synchronized int writes() {
        return writes;
    }

    /** Restarts begun (each applies what was staged once it completes). */
    public synchronized int resets() {
        return resets;
    }

    /** The boot source of each completed boot, oldest first: {@code Pxe} after a one-time PXE override. */
    public synchronized List<String> boots() {
        return List.copyOf(boots);
    }

    /** The BIOS attributes in effect. */
    public synchronized Map<String, String> biosAttributes() {
        return Map.copyOf(bios);
    }

    /** Everything above, for the admin endpoint. */
    synchronized Map<String, Object> describe() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("powerState", powerState);
        state.put("writes", writes);
        state.put("resets", resets);
        state.put("boots", List.copyOf(boots));
        state.put("installedFirmware", Map.copyOf(installed));
        state.put("biosAttributes", Map.copyOf(bios));
        state.put("pendingBiosAttributes", Map.copyOf(pendingBios));
        state.put("tasks", tasks.values().stream().map(SimTask::id).toList());
        return state;
    }
}
