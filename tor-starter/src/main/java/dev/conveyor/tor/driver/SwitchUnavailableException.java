package dev.conveyor.tor.driver;

import java.net.URI;

/** The switch could not be reached, did not answer in time, or answered with a server error. */
public final class SwitchUnavailableException extends SwitchException {
    public SwitchUnavailableException(URI endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
