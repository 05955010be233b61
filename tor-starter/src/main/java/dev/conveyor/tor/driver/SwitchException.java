package dev.conveyor.tor.driver;

import dev.conveyor.core.ConveyorException;
import java.net.URI;

/**
 * A switch request that did not give an answer to use. Whether trying again could help is carried
 * by the type: {@link #retryable()}.
 */
public abstract sealed class SwitchException extends ConveyorException
        permits SwitchUnavailableException, SwitchCommandException, SwitchProtocolException {
    private final URI endpoint;

    SwitchException(URI endpoint, String message, Throwable cause) {
        super(endpoint + ": " + message, cause);
        this.endpoint = endpoint;
    }

    public URI endpoint() {
        return endpoint;
    }

    public abstract boolean retryable();
}
