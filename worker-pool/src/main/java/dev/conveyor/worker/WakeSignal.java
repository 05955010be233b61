package dev.conveyor.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets the poller sleep between idle claims and be woken early. A wake-up that arrives while the
 * poller is claiming is remembered, so the next wait returns at once instead of missing it.
 */
final class WakeSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    /** Written by any waker and by the poller (which clears it); guarded by {@link #lock}. */
    private boolean pending;

    void wake() {
        lock.lock();
        try {
            pending = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for a wake-up; true when woken rather than timed out. */
    boolean await(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!pending && nanos > 0) {
                nanos = woken.awaitNanos(nanos);
            }
            boolean wasWoken = pending;
            pending = false;
            return wasWoken;
        } finally {
            lock.unlock();
        }
    }
}
