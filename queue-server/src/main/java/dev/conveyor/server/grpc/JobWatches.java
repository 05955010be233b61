package dev.conveyor.server.grpc;

import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.QueueManager;
import dev.conveyor.proto.v1.WatchJobRequest;
import dev.conveyor.proto.v1.WatchJobResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens WatchJob streams: a job's events, and for a workflow parent (a rack) its children's too,
 * so that one stream shows the workflow's progress. The order matters: subscribe to the tail first, then read the history
 * and the snapshot, so that nothing written after those reads can be missed; what both contain
 * is sent once (the replay's ids are skipped in the live part).
 */
final class JobWatches {
    /** Events per history read; a replay reads pages until one comes back short. */
    private static final int HISTORY_PAGE = 1000;

    private final QueueManager queues;
    private final EventTailer tailer;
    private final int bufferCapacity;
    private final Counter dropped;

    JobWatches(QueueManager queues, EventTailer tailer, int bufferCapacity, MeterRegistry registry) {
        this.queues = queues;
        this.tailer = tailer;
        this.bufferCapacity = bufferCapacity;
        this.dropped = Counter.builder("conveyor.server.watch.dropped")
                .description("WatchJob streams closed because the client fell behind")
                .register(registry);
    }

    void open(WatchJobRequest request, ServerCallStreamObserver<WatchJobResponse> out) {
        JobWatch watch = new JobWatch(request.getId(), out, bufferCapacity, dropped);
        try {
            Rpc.requireTimeLeft();
            long jobId = RequestRules.jobId("id", request.getId());
            watch.subscribedWith(tailer.subscribe(jobId, watch));
            List<JobEventRecord> replay = request.getFromStart() ? history(jobId, 0) : List.of();
            JobSnapshot snapshot = queues.get(jobId);
            boolean ended = snapshot.state().isTerminal();
            if (ended && request.getFromStart()) {
                // It may have ended between the two reads: the stream closes now, so read the rest here.
                replay = new ArrayList<>(replay);
                replay.addAll(history(jobId, replay.isEmpty() ? 0 : replay.getLast().id()));
            }
            watch.start(JobMapper.job(snapshot, queues.dependencies(jobId)), replay, ended);
        } catch (RuntimeException e) {
            watch.fail(e);
        }
    }

    private List<JobEventRecord> history(long jobId, long afterId) {
        List<JobEventRecord> all = new ArrayList<>();
        List<JobEventRecord> page;
        long after = afterId;
        do {
            page = queues.eventsWithChildren(jobId, after, HISTORY_PAGE);
            all.addAll(page);
            if (!page.isEmpty()) {
                after = page.getLast().id();
            }
        } while (page.size() == HISTORY_PAGE);
        return all;
    }
}
