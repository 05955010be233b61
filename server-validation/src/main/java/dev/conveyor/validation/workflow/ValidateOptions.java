package dev.conveyor.validation.workflow;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobRules;

/**
 * How to run one rack validation.
 *
 * @param requestId       makes the request idempotent, or null
 * @param serversInFlight at most this many of the rack's servers validated at once; 0 for the default
 * @param createdBy       who asked, for the jobs' records, or null
 * @param traceParent     the caller's W3C traceparent, carried into every job, or null
 * @param provision       provision, then validate: servers whose profile has a {@code provisioning}
 *                        block get a provisioning job that their validation waits for
 */
public record ValidateOptions(String requestId, int serversInFlight, String createdBy, String traceParent,
        boolean provision) {
    /** Short enough that the parent's idempotency key (rack id included) fits its column. */
    public static final int MAX_REQUEST_ID_LENGTH = 48;

    public static final ValidateOptions DEFAULTS = new ValidateOptions(null, 0, null, null, false);

    /** Validation only. */
    public ValidateOptions(String requestId, int serversInFlight, String createdBy, String traceParent) {
        this(requestId, serversInFlight, createdBy, traceParent, false);
    }

    public ValidateOptions {
        if (requestId != null && (requestId.isEmpty() || requestId.length() > MAX_REQUEST_ID_LENGTH
                || !JobRules.isPrintableAscii(requestId))) {
            throw new InvalidRequestException("request_id", "must be 1 to " + MAX_REQUEST_ID_LENGTH
                    + " printable ASCII characters");
        }
        if (serversInFlight < 0 || serversInFlight > JobRules.MAX_CONCURRENCY_LIMIT) {
            throw new InvalidRequestException("max_servers_in_flight", "must be in [0, "
                    + JobRules.MAX_CONCURRENCY_LIMIT + "] (0 for the default)");
        }
    }

    public ValidateOptions withProvision(boolean provisionFirst) {
        return new ValidateOptions(requestId, serversInFlight, createdBy, traceParent, provisionFirst);
    }
}
