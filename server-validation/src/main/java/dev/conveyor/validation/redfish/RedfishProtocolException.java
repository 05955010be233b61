package dev.conveyor.validation.redfish;

import java.net.URI;

/**
 * The BMC answered, but not with what DSP0266 promises: a 4xx status, a body that is not JSON, a
 * missing required property, an untrusted certificate. Retrying will not change it.
 */
public final class RedfishProtocolException extends RedfishException {
    private final int status;

    /**
     * @param status the HTTP status that was received, or 0 when the problem is not a status
     */
    public RedfishProtocolException(URI uri, int status, String message, Throwable cause) {
        super(uri, message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
