package dev.conveyor.core;

import java.time.Instant;

/**
 * A worker daemon as registered. {@code alive} is false once it stopped or its heartbeat is older
 * than the liveness window, judged by the database clock.
 */
public record WorkerInfo(
        String id,
        String host,
        long pid,
        String pools,
        int slots,
        Instant startedAt,
        Instant heartbeatAt,
        Instant stoppedAt,
        boolean alive) {
}
