package dev.conveyor.dcsim;

import dev.conveyor.device.Credentials;
import java.time.Clock;
import java.util.Objects;

/**
 * How a simulated rack runs.
 *
 * @param credentials the login every simulated device accepts
 * @param adminPort the admin endpoint's loopback port; 0 picks a free one
 */
public record SimOptions(Credentials credentials, int adminPort, Clock clock) {
    public static final Credentials DEFAULT_CREDENTIALS = new Credentials("admin", "dc-sim");

    public SimOptions {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(clock, "clock");
        if (adminPort < 0 || adminPort > 65535) {
            throw new IllegalArgumentException("adminPort must be 0-65535, got " + adminPort);
        }
    }

    public static SimOptions defaults() {
        return new SimOptions(DEFAULT_CREDENTIALS, 0, Clock.systemUTC());
    }

    public SimOptions withCredentials(Credentials newCredentials) {
        return new SimOptions(newCredentials, adminPort, clock);
    }

    public SimOptions withAdminPort(int port) {
        return new SimOptions(credentials, port, clock);
    }
}
