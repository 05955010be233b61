package dev.conveyor.core;

import java.time.Instant;

/**
 * Filters for listing jobs, newest first, one page at a time (keyset pagination on the id).
 * Null filters match everything.
 *
 * @param beforeId the cursor: only jobs with a smaller id (the last id of the previous page)
 */
public record JobQuery(
        String queue,
        JobState state,
        String type,
        Instant createdFrom,
        Instant createdTo,
        String labelKey,
        String labelValue,
        Long parentId,
        int pageSize,
        Long beforeId) {

    public static final int DEFAULT_PAGE_SIZE = 50;

    public JobQuery {
        if (queue != null) {
            JobRules.requireName("queue", queue);
        }
        if (type != null) {
            JobRules.requireName("type", type);
        }
        if (pageSize < 0 || pageSize > JobRules.MAX_PAGE_SIZE) {
            throw new InvalidRequestException("page_size", "must be in [0, " + JobRules.MAX_PAGE_SIZE + "]");
        }
        pageSize = pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
        if (createdFrom != null && createdTo != null && createdTo.isBefore(createdFrom)) {
            throw new InvalidRequestException("created_to", "must not be before created_from");
        }
        if (labelValue != null && labelKey == null) {
            throw new InvalidRequestException("label", "a value needs a key");
        }
    }

    public static JobQuery all() {
        return new JobQuery(null, null, null, null, null, null, null, null, DEFAULT_PAGE_SIZE, null);
    }

    public static JobQuery inQueue(String queue) {
        return new JobQuery(queue, null, null, null, null, null, null, null, DEFAULT_PAGE_SIZE, null);
    }

    public JobQuery withState(JobState s) {
        return new JobQuery(queue, s, type, createdFrom, createdTo, labelKey, labelValue, parentId, pageSize, beforeId);
    }

    public JobQuery withPage(int size, Long before) {
        return new JobQuery(queue, state, type, createdFrom, createdTo, labelKey, labelValue, parentId, size, before);
    }
}
