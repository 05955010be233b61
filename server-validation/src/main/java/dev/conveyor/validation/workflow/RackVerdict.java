package dev.conveyor.validation.workflow;

/**
 * A rack validation's verdict, the one the console's badge, {@code conveyor rack status} and the
 * summary all show: IN_PROGRESS until every device job has ended, then FAILED when any of them
 * ended without succeeding (DEAD, or CANCELLED behind a failed switch), else PASSED. The parent job
 * agrees once it has run: it ends SUCCEEDED for a rack that PASSED and DEAD for one that FAILED.
 */
public enum RackVerdict {
    IN_PROGRESS,
    PASSED,
    FAILED
}
