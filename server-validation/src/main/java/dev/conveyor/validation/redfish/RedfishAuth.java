package dev.conveyor.validation.redfish;

/** How the client authenticates its requests (DSP0266 §13.3). */
public enum RedfishAuth {
    /** Credentials sent with every request. */
    BASIC,
    /**
     * One login through {@code SessionService/Sessions}; later requests carry the session's
     * {@code X-Auth-Token}, and closing the client deletes the session. Cheaper for the BMC when a
     * check makes many requests, and the password crosses the wire once.
     */
    SESSION
}
