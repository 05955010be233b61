package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class RetentionTaskIT {

    @Test
    void aRoundDeletesEveryExpiredJobInBatchesAndCountsThem(TestDb db) {
        QueueManager queue = new QueueManager(db.open());
        for (int i = 0; i < 7; i++) {
            queue.cancel(queue.submit(Jobs.noop("retained")).jobId(), null, "test");
        }
        long kept = queue.submit(Jobs.noop("retained")).jobId();
        db.update("UPDATE job SET finished_at = NOW(6) - INTERVAL 2 DAY WHERE finished_at IS NOT NULL");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (RetentionTask task = new RetentionTask(queue,
                new RetentionTask.Config(Duration.ofDays(1), Duration.ofMinutes(1), 3), meters)) {
            assertThat(task.round()).isEqualTo(7);
            assertThat(task.round()).isZero();
        }
        assertThat(db.queryList("SELECT id FROM job")).containsExactly(kept);
        assertThat(meters.get("conveyor.retention.jobs.deleted").counter().count()).isEqualTo(7);
    }

    @Test
    void zeroKeepsJobsForeverAndBadSettingsAreRefused() {
        assertThat(new RetentionTask.Config(Duration.ZERO, Duration.ofMinutes(1), 10).enabled()).isFalse();
        assertThatThrownBy(() -> new RetentionTask.Config(Duration.ofDays(-1), Duration.ofMinutes(1), 10))
                .hasMessageContaining("retention must be zero");
        assertThatThrownBy(() -> new RetentionTask.Config(Duration.ofDays(1), Duration.ofMinutes(1), 0))
                .hasMessageContaining("batch size");
    }
}
