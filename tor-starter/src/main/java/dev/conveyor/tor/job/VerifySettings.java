package dev.conveyor.tor.job;

import java.time.Duration;

/**
 * How long the verify step waits for a freshly configured switch to converge (links up, BGP
 * established) and how often it looks.
 */
public record VerifySettings(Duration timeout, Duration interval) {
    public static final VerifySettings DEFAULTS = new VerifySettings(Duration.ofSeconds(90), Duration.ofSeconds(5));

    public VerifySettings {
        if (timeout == null || interval == null || timeout.isNegative() || interval.toMillis() < 1) {
            throw new IllegalArgumentException("need timeout >= 0 and interval >= 1 ms");
        }
    }
}
