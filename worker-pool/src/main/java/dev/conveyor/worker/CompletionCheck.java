package dev.conveyor.worker;

import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobState;
import dev.conveyor.core.QueueManager;
import java.util.List;
import java.util.Optional;

/**
 * Tells whether a completion whose outcome was unknown had committed after all: its transaction
 * was sent, the connection died before the acknowledgement came back, and the retry found the
 * lease gone — which is what a completion that did commit looks like, and also what a lease reaped
 * meanwhile looks like.
 *
 * <p>The job's history decides, because every settle writes its state event in its own
 * transaction: this execution's claim is the {@code RUNNING} event written by this pool (owner
 * names are unique per pool) for this attempt; the first state event after it that leaves
 * {@code RUNNING} is the settle that ended the execution. It is ours when this pool wrote it; a
 * reaper, an operator's cancel or retry write no worker, or another name.
 */
final class CompletionCheck {
    private static final int PAGE = 500;

    private final QueueManager queueManager;
    private final String worker;

    CompletionCheck(QueueManager queueManager, String worker) {
        this.queueManager = queueManager;
        this.worker = worker;
    }

    /** The state this execution's own completion left the job in; empty when that did not commit. */
    Optional<JobState> committedState(ClaimedJob job) {
        boolean afterOurClaim = false;
        JobState settled = null;
        boolean settledByUs = false;
        long after = 0;
        List<JobEventRecord> page;
        do {
            page = queueManager.events(job.id(), after, PAGE);
            for (JobEventRecord e : page) {
                after = e.id();
                if (!JobEventRecord.STATE.equals(e.kind()) || e.state() == null) {
                    continue;
                }
                if (e.state() == JobState.RUNNING) {
                    if (worker.equals(e.worker()) && e.attempt() == job.attempt()) {
                        afterOurClaim = true; // the latest such event is this execution's claim
                        settled = null;
                    }
                } else if (afterOurClaim && settled == null) {
                    settled = e.state();
                    settledByUs = worker.equals(e.worker());
                }
            }
        } while (page.size() == PAGE);
        return settled != null && settledByUs ? Optional.of(settled) : Optional.empty();
    }
}
