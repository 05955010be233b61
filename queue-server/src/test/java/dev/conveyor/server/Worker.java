package dev.conveyor.server;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.Completion;
import dev.conveyor.core.EventDraft;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import java.time.Duration;
import java.util.List;

/** A test playing the worker through the queue's lease protocol, one job at a time. */
public final class Worker {
    public static final String NAME = "test-worker";

    private final QueueManager queues;

    public Worker(QueueManager queues) {
        this.queues = queues;
    }

    /** Claims the queue's next job; fails the test when there is none. */
    public ClaimedJob claim(String queue) {
        List<ClaimedJob> claimed = queues.claim(new ClaimRequest(queue, NAME, 1, Duration.ofSeconds(30)));
        if (claimed.isEmpty()) {
            throw new AssertionError("no job to claim in queue " + queue);
        }
        return claimed.getFirst();
    }

    public void step(ClaimedJob job, String step, String message) {
        queues.recordEvent(job.lease(), new EventDraft(step, "200", "GET /" + step, message), NAME);
    }

    public void finish(ClaimedJob job, Outcome outcome) {
        queues.complete(List.of(new Completion(job.lease(), outcome, NAME)));
    }

    /** Claims, records one step and succeeds: a whole run. */
    public ClaimedJob run(String queue) {
        ClaimedJob job = claim(queue);
        step(job, "check", "all good");
        finish(job, Outcome.succeeded("done".getBytes()));
        return job;
    }
}
