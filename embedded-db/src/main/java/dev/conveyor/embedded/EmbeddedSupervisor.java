package dev.conveyor.embedded;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the embedded {@code mariadbd} and starts it again when it dies, with backoff.
 *
 * <p>Death is seen at once: the JDK completes {@link ProcessHandle#onExit()} of a child when the
 * kernel reports it, no polling. From then until a restart succeeds the database is
 * {@linkplain #available() unavailable}, so the server fails calls at once and readiness turns
 * 503. Restarts wait {@value #FIRST_DELAY_MILLIS} ms, then twice as long each time, up to
 * {@link #MAX_DELAY}; after {@value #FAILURES_BEFORE_UNRECOVERABLE} failed restarts in a row the
 * database is {@linkplain #recoverable() unrecoverable} (liveness fails, so an orchestrator
 * restarts the whole process) while restarts go on at the longest delay, in case what stopped
 * them (a full disk, a taken port) goes away.
 *
 * <p>Threads: the JDK's process reaper reports a death; one supervisor thread per death restarts;
 * any thread reads the state. {@code state} and {@code detail} are written under this object's
 * lock and read without it (volatile).
 */
final class EmbeddedSupervisor implements EmbeddedHealth {
    static final long FIRST_DELAY_MILLIS = 250;
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final int FAILURES_BEFORE_UNRECOVERABLE = 5;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSupervisor.class);

    enum State { RUNNING, RESTARTING, UNRECOVERABLE, CLOSED }

    /** Starts mariadbd again on the same port and data, returning the new process. */
    interface Restarter {
        ProcessHandle restart() throws Exception;
    }

    private final String name;
    private final Restarter restarter;
    private volatile State state = State.RUNNING;
    private volatile String detail;
    private volatile ProcessHandle process;
    private Thread restarting;

    EmbeddedSupervisor(String name, ProcessHandle process, Restarter restarter) {
        this.name = name;
        this.restarter = restarter;
        watch(process);
    }

    private synchronized void watch(ProcessHandle p) {
        process = p;
        state = State.RUNNING;
        detail = "mariadbd (pid " + p.pid() + ") running";
        p.onExit().thenRun(() -> died(p));
    }

    private synchronized void died(ProcessHandle p) {
        if (state == State.CLOSED || p != process) {
            return;
        }
        log.error("the embedded database ({}) died: mariadbd (pid {}) exited; restarting it", name, p.pid());
        state = State.RESTARTING;
        detail = "restarting: mariadbd (pid " + p.pid() + ") died";
        restarting = Thread.ofPlatform().daemon().name("embedded-mariadb-restart").start(this::restartLoop);
    }

    private void restartLoop() {
        long delay = FIRST_DELAY_MILLIS;
        for (int failures = 0; ; failures++) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            ProcessHandle restarted;
            try {
                restarted = restarter.restart();
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted() || state == State.CLOSED) {
                    return;
                }
                failed(failures + 1, e);
                delay = Math.min(delay * 2, MAX_DELAY.toMillis());
                continue;
            }
            synchronized (this) {
                if (state == State.CLOSED) {
                    return;
                }
                log.info("the embedded database ({}) is back: mariadbd (pid {}) after {} failed restart(s)", name,
                        restarted.pid(), failures);
                restarting = null;
                watch(restarted);
                return;
            }
        }
    }

    private synchronized void failed(int failures, Exception e) {
        if (state == State.CLOSED) {
            return;
        }
        if (failures >= FAILURES_BEFORE_UNRECOVERABLE) {
            state = State.UNRECOVERABLE;
            detail = "down: " + failures + " restarts of mariadbd failed, the last with: " + e.getMessage();
            log.error("the embedded database ({}) cannot be restarted ({} attempts); liveness now fails, "
                    + "retrying every {} s: {}", name, failures, MAX_DELAY.toSeconds(), e.getMessage());
        } else {
            detail = "restarting: attempt " + failures + " failed: " + e.getMessage();
            log.warn("restart {} of the embedded database ({}) failed: {}", failures, name, e.getMessage());
        }
    }

    /** Stops watching: a death from now on is the owner's doing. Interrupts a restart in progress. */
    synchronized void close() {
        state = State.CLOSED;
        detail = "stopped";
        if (restarting != null) {
            restarting.interrupt();
        }
    }

    /** The running mariadbd, or the last one while it is being restarted. */
    ProcessHandle process() {
        return process;
    }

    State state() {
        return state;
    }

    @Override
    public boolean available() {
        return state == State.RUNNING;
    }

    @Override
    public boolean recoverable() {
        return state != State.UNRECOVERABLE;
    }

    @Override
    public String describe() {
        return "embedded MariaDB " + detail;
    }
}
