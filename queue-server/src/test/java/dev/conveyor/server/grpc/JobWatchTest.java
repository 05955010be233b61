package dev.conveyor.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobState;
import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.WatchJobResponse;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobWatchTest {
    private static final Job SNAPSHOT = Job.newBuilder().setId(1).build();

    private final RecordingObserver<WatchJobResponse> out = new RecordingObserver<>();
    private final Counter dropped = new SimpleMeterRegistry().counter("dropped");
    private final AtomicBoolean unsubscribed = new AtomicBoolean();
    private JobWatch watch;

    @BeforeEach
    void open() {
        watch = new JobWatch(1, out, 3, dropped);
        watch.subscribedWith(() -> unsubscribed.set(true));
    }

    @Test
    void sendsTheSnapshotFirstThenLiveEventsAndEndsAtATerminalState() {
        watch.start(SNAPSHOT, List.of(), false);
        watch.onEvent(state(5, JobState.RUNNING));
        watch.onEvent(step(6));
        watch.onEvent(state(7, JobState.SUCCEEDED));

        assertThat(out.sent.getFirst().getJob()).isEqualTo(SNAPSHOT);
        assertThat(out.sent.subList(1, 4)).extracting(r -> r.getEvent().getId()).containsExactly(5L, 6L, 7L);
        assertThat(out.completed).isTrue();
        assertThat(unsubscribed).isTrue();
    }

    @Test
    void eventsBufferedBeforeTheStartAreSentOnceAfterTheReplay() {
        watch.onEvent(state(5, JobState.RUNNING)); // arrives while the replay is being read
        watch.onEvent(step(6));

        watch.start(SNAPSHOT, List.of(state(4, JobState.READY), state(5, JobState.RUNNING)), false);

        assertThat(out.sent).extracting(r -> r.hasJob() ? 0L : r.getEvent().getId()).containsExactly(0L, 4L, 5L, 6L);
    }

    @Test
    void aJobThatHadEndedClosesTheStreamAfterTheReplay() {
        watch.start(SNAPSHOT, List.of(state(4, JobState.DEAD)), true);

        assertThat(out.sent).hasSize(2);
        assertThat(out.completed).isTrue();
    }

    @Test
    void aParentsStreamCarriesItsChildrensEventsAndEndsOnlyWithTheParent() {
        watch.start(SNAPSHOT, List.of(), false);
        watch.onEvent(childState(5, 2, JobState.RUNNING));
        watch.onEvent(childState(6, 2, JobState.DEAD));
        watch.onEvent(childState(7, 3, JobState.SUCCEEDED));

        assertThat(out.completed).as("a child's end does not end the parent's stream").isFalse();
        assertThat(unsubscribed).isFalse();

        watch.onEvent(state(8, JobState.SUCCEEDED));

        assertThat(out.sent.subList(1, out.sent.size())).extracting(r -> r.getEvent().getJobId())
                .containsExactly(2L, 2L, 3L, 1L);
        assertThat(out.completed).isTrue();
    }

    @Test
    void waitsForTheClientToBeReady() {
        watch.start(SNAPSHOT, List.of(), false);
        out.ready = false;
        watch.onEvent(step(5));
        assertThat(out.sent).hasSize(1);

        out.becomeReady();

        assertThat(out.sent).hasSize(2);
    }

    @Test
    void aClientThatFallsBehindIsDroppedWithResourceExhausted() {
        watch.start(SNAPSHOT, List.of(), false);
        out.ready = false;
        for (long id = 5; id < 9; id++) {
            watch.onEvent(step(id));
        }

        assertThat(Status.fromThrowable(out.error).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Status.fromThrowable(out.error).getDescription()).contains("watcher fell behind");
        assertThat(dropped.count()).isEqualTo(1);
        assertThat(unsubscribed).isTrue();
    }

    @Test
    void aCancelledStreamUnsubscribesAndIgnoresLaterEvents() {
        watch.start(SNAPSHOT, List.of(), false);

        out.onCancel.run();
        watch.onEvent(step(5));

        assertThat(unsubscribed).isTrue();
        assertThat(out.sent).hasSize(1);
    }

    @Test
    void theServerShuttingDownEndsTheStreamWithUnavailable() {
        watch.start(SNAPSHOT, List.of(), false);

        watch.onTailEnded();

        assertThat(Status.fromThrowable(out.error).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    private static JobEventRecord state(long id, JobState state) {
        return new JobEventRecord(id, 1, null, Instant.EPOCH, JobEventRecord.STATE, state, null, null, null, null,
                null, 1);
    }

    /** An event of job {@code child}, whose parent is the watched job 1. */
    private static JobEventRecord childState(long id, long child, JobState state) {
        return new JobEventRecord(id, child, 1L, Instant.EPOCH, JobEventRecord.STATE, state, null, null, null, null,
                null, 1);
    }

    private static JobEventRecord step(long id) {
        return new JobEventRecord(id, 1, null, Instant.EPOCH, JobEventRecord.STEP, null, "check", "200", null, "ok",
                "w", 1);
    }
}
