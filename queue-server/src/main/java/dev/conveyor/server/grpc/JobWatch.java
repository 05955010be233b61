package dev.conveyor.server.grpc;

import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobState;
import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.WatchJobResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One WatchJob stream: its snapshot and replay, then live events from the {@link EventTailer},
 * sent only as fast as the client reads them (gRPC's {@code isReady}). Events wait in a bounded
 * buffer meanwhile; a client that lets it fill is dropped with RESOURCE_EXHAUSTED rather than
 * allowed to hold the server's memory. A workflow parent's watch carries its children's events
 * too. The stream ends with OK after the first live event that puts the watched job itself in a
 * terminal state.
 *
 * <p>Threads: the tailer thread (events), gRPC's (ready, cancel) and the call's own (start) meet
 * under {@code lock}, which also keeps calls on the observer serial, as gRPC requires.
 */
final class JobWatch implements EventTailer.Listener {
    private final long jobId;
    private final ServerCallStreamObserver<WatchJobResponse> out;
    private final int capacity;
    private final Counter dropped;
    private final Object lock = new Object();
    private final ArrayDeque<JobEventRecord> pending = new ArrayDeque<>();
    private Runnable unsubscribe = () -> { };
    /** Guarded by lock: false until the snapshot and replay are sent. */
    private boolean live;
    /** Guarded by lock: events up to this id were replayed already. */
    private long replayedUpTo;
    /** Guarded by lock. */
    private boolean closed;

    JobWatch(long jobId, ServerCallStreamObserver<WatchJobResponse> out, int capacity, Counter dropped) {
        this.jobId = jobId;
        this.out = out;
        this.capacity = capacity;
        this.dropped = dropped;
        out.setOnReadyHandler(this::onReady);
        out.setOnCancelHandler(this::onCancel);
    }

    void subscribedWith(Runnable unsubscribe) {
        this.unsubscribe = unsubscribe;
    }

    /**
     * Sends the snapshot and the replayed history; then either ends the stream (the job had
     * already ended) or goes live, skipping buffered events the replay already contained.
     */
    void start(Job snapshot, List<JobEventRecord> replay, boolean ended) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            out.onNext(WatchJobResponse.newBuilder().setJob(snapshot).build());
            for (JobEventRecord event : replay) {
                out.onNext(WatchJobResponse.newBuilder().setEvent(JobMapper.event(event)).build());
                replayedUpTo = Math.max(replayedUpTo, event.id());
            }
            if (ended) {
                finish();
                out.onCompleted();
                return;
            }
            live = true;
            drain();
        }
    }

    void fail(RuntimeException error) {
        synchronized (lock) {
            if (!closed) {
                finish();
                out.onError(StatusMapper.toStatus(error));
            }
        }
    }

    @Override
    public void onEvent(JobEventRecord event) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (pending.size() >= capacity) {
                dropped.increment();
                finish();
                out.onError(Status.RESOURCE_EXHAUSTED
                        .withDescription("watcher fell behind: more than " + capacity + " events of job " + jobId
                                + " were waiting to be read; watch again")
                        .asRuntimeException());
                return;
            }
            pending.add(event);
            drain();
        }
    }

    @Override
    public void onTailEnded() {
        synchronized (lock) {
            if (!closed) {
                finish();
                out.onError(Status.UNAVAILABLE.withDescription("the server is shutting down; watch again")
                        .asRuntimeException());
            }
        }
    }

    private void onReady() {
        synchronized (lock) {
            drain();
        }
    }

    private void onCancel() {
        synchronized (lock) {
            finish();
        }
    }

    /** Caller holds lock. */
    private void drain() {
        while (live && !closed && out.isReady() && !pending.isEmpty()) {
            JobEventRecord event = pending.poll();
            if (event.id() <= replayedUpTo) {
                continue;
            }
            out.onNext(WatchJobResponse.newBuilder().setEvent(JobMapper.event(event)).build());
            if (ends(event)) {
                finish();
                out.onCompleted();
            }
        }
    }

    /** Caller holds lock. */
    private void finish() {
        closed = true;
        pending.clear();
        unsubscribe.run();
    }

    /** Only the watched job's own end closes the stream; its children end before it does. */
    private boolean ends(JobEventRecord event) {
        JobState state = event.state();
        return event.jobId() == jobId && JobEventRecord.STATE.equals(event.kind()) && state != null
                && state.isTerminal();
    }
}
