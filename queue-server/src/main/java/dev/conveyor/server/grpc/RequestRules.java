package dev.conveyor.server.grpc;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobRules;

/**
 * The checks that belong to the API rather than to the queue: ids, page sizes, free text. Job
 * fields are checked by {@link dev.conveyor.core.NewJob} itself, so every entrance agrees.
 */
final class RequestRules {
    static final int MAX_REASON_LENGTH = 1024;

    private RequestRules() {
    }

    static long jobId(String field, long id) {
        if (id <= 0) {
            throw new InvalidRequestException(field, "must be a positive job id");
        }
        return id;
    }

    /** AIP-158: 0 means the default, a negative size is an error, a size above the cap is capped. */
    static int pageSize(int requested, int defaultSize) {
        if (requested < 0) {
            throw new InvalidRequestException("page_size", "must not be negative");
        }
        return requested == 0 ? defaultSize : Math.min(requested, JobRules.MAX_PAGE_SIZE);
    }

    /** Empty means none. */
    static String reason(String reason) {
        if (reason.length() > MAX_REASON_LENGTH || !JobRules.isCleanText(reason)) {
            throw new InvalidRequestException("reason", "must be at most " + MAX_REASON_LENGTH
                    + " characters " + JobRules.CLEAN_TEXT_RULE);
        }
        return reason.isEmpty() ? null : reason;
    }

    static String labelKey(String key) {
        if (!key.isEmpty() && !JobRules.LABEL_KEY.matcher(key).matches()) {
            throw new InvalidRequestException("label_key", "must match [a-z0-9][a-z0-9_./-]{0,62}");
        }
        return key.isEmpty() ? null : key;
    }

    static String labelValue(String value) {
        if (value.length() > JobRules.MAX_LABEL_VALUE_LENGTH || !JobRules.isCleanText(value)) {
            throw new InvalidRequestException("label_value", "must be at most " + JobRules.MAX_LABEL_VALUE_LENGTH
                    + " characters " + JobRules.CLEAN_TEXT_RULE);
        }
        return value.isEmpty() ? null : value;
    }

    static byte[] payload(com.google.protobuf.ByteString payload, int maxPayloadBytes) {
        if (payload.size() > maxPayloadBytes) {
            throw new InvalidRequestException("payload", "must be at most " + maxPayloadBytes + " bytes, was "
                    + payload.size());
        }
        return payload.toByteArray();
    }

    /** An optional name filter: empty means any. */
    static String nameFilter(String field, String value) {
        return value.isEmpty() ? null : JobRules.requireName(field, value);
    }
}
