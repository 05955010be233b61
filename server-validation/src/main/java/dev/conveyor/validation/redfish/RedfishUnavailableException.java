package dev.conveyor.validation.redfish;

import java.net.URI;

/** The BMC could not be reached, did not answer in time, or answered 5xx: worth retrying. */
public final class RedfishUnavailableException extends RedfishException {
    public RedfishUnavailableException(URI uri, String message, Throwable cause) {
        super(uri, message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
