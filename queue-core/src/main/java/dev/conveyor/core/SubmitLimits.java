package dev.conveyor.core;

/**
 * Limits that an operator configures; validated once here.
 *
 * @param maxPayloadBytes the largest payload accepted (default 1 MiB), and the largest result
 *                        recorded: a worker's result is bounded as a payload is
 */
public record SubmitLimits(int maxPayloadBytes) {
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
    public static final SubmitLimits DEFAULTS = new SubmitLimits(DEFAULT_MAX_PAYLOAD_BYTES);

    public SubmitLimits {
        if (maxPayloadBytes < 1 || maxPayloadBytes > JobRules.MAX_PAYLOAD_BYTES_CEILING) {
            throw new IllegalArgumentException("maxPayloadBytes must be in [1, "
                    + JobRules.MAX_PAYLOAD_BYTES_CEILING + "], was " + maxPayloadBytes);
        }
    }

    /**
     * The largest result a completion records, the payload limit: a larger one ends its job DEAD
     * at once (it could never be stored, and would otherwise run again until its attempts ran out).
     */
    public int maxResultBytes() {
        return maxPayloadBytes;
    }
}
