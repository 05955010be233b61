package dev.conveyor.validation.redfish;

import dev.conveyor.core.ConveyorException;
import java.net.URI;

/**
 * A Redfish request that gave no usable answer. Names the URL it was about; whether trying again
 * could help is carried by the type ({@link #retryable()}).
 */
public abstract sealed class RedfishException extends ConveyorException
        permits RedfishUnavailableException, RedfishProtocolException {
    private final URI uri;

    RedfishException(URI uri, String message, Throwable cause) {
        super(uri + ": " + message, cause);
        this.uri = uri;
    }

    public URI uri() {
        return uri;
    }

    public abstract boolean retryable();
}
