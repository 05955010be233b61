package dev.conveyor.tor.driver;

import java.net.URI;

/** A client error (4xx), an untrusted certificate, or a response that is not the documented shape. */
public final class SwitchProtocolException extends SwitchException {
    public SwitchProtocolException(URI endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
