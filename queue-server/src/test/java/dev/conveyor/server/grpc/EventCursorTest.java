package dev.conveyor.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventCursorTest {
    private final AtomicLong nanos = new AtomicLong();
    private final EventCursor cursor = new EventCursor(10, Duration.ofSeconds(5), 100, nanos::get);

    @Test
    void deliversNewEventsAndMovesPastThem() {
        assertThat(ids(cursor.advance(List.of(event(11), event(12))))).containsExactly(11L, 12L);
        assertThat(cursor.position()).isEqualTo(12);
        assertThat(cursor.oldestGap()).isEmpty();
    }

    @Test
    void neverDeliversAnEventTwice() {
        cursor.advance(List.of(event(11), event(12)));

        assertThat(cursor.advance(List.of(event(12), event(13)))).extracting(JobEventRecord::id).containsExactly(13L);
    }

    @Test
    void anEventCommittedOutOfOrderIsDeliveredWhenItAppears() {
        cursor.advance(List.of(event(11), event(13)));
        assertThat(cursor.oldestGap()).hasValue(12);

        // The tailer re-reads from the gap: 12 is new, 13 was delivered already.
        List<JobEventRecord> late = cursor.fill(List.of(event(12), event(13)));

        assertThat(ids(late)).containsExactly(12L);
        assertThat(cursor.oldestGap()).isEmpty();
        assertThat(cursor.fill(List.of(event(12)))).isEmpty();
    }

    @Test
    void aGapIsForgottenAfterTheGracePeriod() {
        cursor.advance(List.of(event(15)));
        assertThat(cursor.oldestGap()).hasValue(11);

        nanos.addAndGet(Duration.ofSeconds(6).toNanos());

        assertThat(cursor.oldestGap()).isEmpty();
    }

    @Test
    void gapsAreBoundedByTheNewestIds() {
        cursor.advance(List.of(event(1_000)));

        assertThat(cursor.oldestGap()).hasValue(900);
    }

    private static List<Long> ids(List<JobEventRecord> events) {
        return events.stream().map(JobEventRecord::id).toList();
    }

    private static JobEventRecord event(long id) {
        return new JobEventRecord(id, 1, null, Instant.EPOCH, JobEventRecord.STATE, JobState.READY, null, null, null, null,
                null, 0);
    }
}
