package dev.conveyor.validation.provision;

import java.time.Duration;

/**
 * The pause between two polls of a device that is busy (an update task, a reset). Polling is the
 * only way Redfish offers short of an event subscription, which a worker cannot receive.
 */
final class Waiter {
    private final Duration interval;

    Waiter(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, was " + interval);
        }
        this.interval = interval;
    }

    /** @throws InterruptedException when the worker stops the handler (cancel, lost lease, shutdown) */
    void pause() throws InterruptedException {
        Thread.sleep(interval);
    }
}
