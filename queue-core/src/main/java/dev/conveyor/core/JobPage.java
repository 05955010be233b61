package dev.conveyor.core;

import java.util.List;

/** @param nextBeforeId the cursor for the next page, or null when this is the last page */
public record JobPage(List<JobSnapshot> jobs, Long nextBeforeId) {
}
