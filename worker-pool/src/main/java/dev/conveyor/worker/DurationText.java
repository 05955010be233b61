package dev.conveyor.worker;

import java.time.Duration;

/** Durations as operators write them on the command line ({@code 30m}, {@code 2s}, {@code 1500ms}), for reasons and logs. */
final class DurationText {
    private DurationText() {
    }

    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
