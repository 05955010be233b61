package dev.conveyor.dcsim;

import java.time.Duration;

/**
 * How long the simulated BMCs take: an update task from accepted to its end, and a reset from the
 * request to PowerState On. Set for the whole rack with {@link SimulatedRack#provisioningTimes} or
 * {@code PUT /provisioning-times} on the admin endpoint.
 */
public record ProvisioningTimes(Duration task, Duration reset) {
    /** Before DEFAULTS: the constructor reads it. */
    private static final Duration MAX = Duration.ofHours(1);
    public static final ProvisioningTimes DEFAULTS = new ProvisioningTimes(Duration.ofSeconds(3), Duration.ofSeconds(2));

    public ProvisioningTimes {
        if (task == null || reset == null || task.isNegative() || reset.isNegative() || task.compareTo(MAX) > 0
                || reset.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("task and reset durations must be between 0 and 1 hour");
        }
    }
}
