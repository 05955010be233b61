package dev.conveyor.server.console;

import dev.conveyor.core.InvalidRequestException;
import java.util.LinkedHashSet;
import java.util.Set;

/** The {@code jobs} parameter of a live stream: job ids, comma-separated; none for every job's state changes. */
final class EventFilter {
    private EventFilter() {
    }

    static Set<Long> jobs(String ids) {
        Set<Long> jobs = new LinkedHashSet<>();
        if (ids == null) {
            return jobs;
        }
        for (String id : ids.split(",")) {
            if (id.isBlank()) {
                continue;
            }
            try {
                jobs.add(Long.parseLong(id.strip()));
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("jobs", "must be job ids separated by commas");
            }
            if (jobs.size() > LiveEvents.MAX_JOBS_PER_STREAM) {
                throw new InvalidRequestException("jobs", "at most " + LiveEvents.MAX_JOBS_PER_STREAM + " jobs per stream");
            }
        }
        return jobs;
    }
}
