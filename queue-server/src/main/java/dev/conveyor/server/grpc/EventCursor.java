package dev.conveyor.server.grpc;

import dev.conveyor.core.JobEventRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Where the {@link EventTailer} is in the {@code job_event} log, and which ids below that may
 * still appear.
 *
 * <p>Event ids are handed out when a row is inserted but become visible when its transaction
 * commits, so two writers can commit out of order: the tail may see id 101 before 100. Reading
 * only "after the highest id seen" would then skip 100 for ever, and a watcher would miss, say,
 * its job's final state. So every id skipped over is remembered as a gap and looked for again,
 * until it shows up or a grace period passes (ids of rolled-back inserts never show up, and with
 * {@code auto_increment_increment} above 1 most ids never exist).
 *
 * <p>Not thread-safe: owned by the tailer's thread.
 */
final class EventCursor {
    private final Duration grace;
    private final int maxGaps;
    private final LongSupplier nanoClock;
    /** Missing id → when it was first found missing (nanoClock). */
    private final TreeMap<Long, Long> gaps = new TreeMap<>();
    private long position;

    EventCursor(long position, Duration grace, int maxGaps, LongSupplier nanoClock) {
        this.position = position;
        this.grace = grace;
        this.maxGaps = maxGaps;
        this.nanoClock = nanoClock;
    }

    /** The highest id delivered: the next read starts after it. */
    long position() {
        return position;
    }

    /** The lowest id still awaited, after forgetting the ones whose grace has passed. */
    OptionalLong oldestGap() {
        long now = nanoClock.getAsLong();
        gaps.values().removeIf(since -> now - since > grace.toNanos());
        return gaps.isEmpty() ? OptionalLong.empty() : OptionalLong.of(gaps.firstKey());
    }

    /** Takes events read after {@link #position()}, in id order; returns them, noting the ids skipped. */
    List<JobEventRecord> advance(List<JobEventRecord> batch) {
        long now = nanoClock.getAsLong();
        List<JobEventRecord> fresh = new ArrayList<>(batch.size());
        for (JobEventRecord event : batch) {
            if (event.id() <= position) {
                continue;
            }
            for (long missing = Math.max(position + 1, event.id() - maxGaps); missing < event.id(); missing++) {
                gaps.put(missing, now);
            }
            position = event.id();
            fresh.add(event);
        }
        while (gaps.size() > maxGaps) {
            gaps.pollFirstEntry();
        }
        return fresh;
    }

    /** Takes events read after {@code oldestGap() - 1}; returns those that fill a gap. */
    List<JobEventRecord> fill(List<JobEventRecord> batch) {
        List<JobEventRecord> late = new ArrayList<>();
        for (JobEventRecord event : batch) {
            if (gaps.remove(event.id()) != null) {
                late.add(event);
            }
        }
        return late;
    }
}
