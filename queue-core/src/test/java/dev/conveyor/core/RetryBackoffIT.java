package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class RetryBackoffIT {
    private static final Duration BASE = Duration.ofSeconds(2);
    private static final Duration CAP = Duration.ofSeconds(10);

    @Test
    void retryableFailuresWaitWithinTheirBackoffBoundsThenDie(TestDb db) {
        QueueManager manager = new QueueManager(db.open(),
                QueueManagerConfig.DEFAULTS.withRetryPolicy(RetryPolicy.exponential(BASE, CAP)));
        long id = manager.submit(Jobs.builder("retries").maxAttempts(4).build()).jobId();
        for (int attempt = 1; attempt <= 3; attempt++) {
            // Make the job due now, as the clock would after the backoff.
            db.update("UPDATE job SET run_at = NOW(6) WHERE id = ?", id);
            ClaimedJob job = manager.claim(new ClaimRequest("retries", "w", 1, Duration.ofSeconds(30))).get(0);
            assertThat(job.attempt()).isEqualTo(attempt);
            long before = db.queryLong("SELECT UNIX_TIMESTAMP(NOW(6)) * 1000000");
            manager.complete(List.of(new Completion(job.lease(), Outcome.retry("boom " + attempt), "w")));
            long after = db.queryLong("SELECT UNIX_TIMESTAMP(NOW(6)) * 1000000");
            long runAt = db.queryLong("SELECT UNIX_TIMESTAMP(run_at) * 1000000 FROM job WHERE id = ?", id);
            long ceiling = RetryPolicy.ceilingMicros(BASE, CAP, attempt);
            assertThat(runAt - before).as("delay after attempt %d", attempt).isGreaterThanOrEqualTo(0);
            assertThat(runAt - after).as("delay after attempt %d", attempt).isLessThanOrEqualTo(ceiling);
            JobSnapshot s = manager.get(id);
            assertThat(s.state()).isEqualTo(JobState.READY);
            assertThat(s.lastError()).isEqualTo("boom " + attempt);
        }
        db.update("UPDATE job SET run_at = NOW(6) WHERE id = ?", id);
        ClaimedJob last = manager.claim(new ClaimRequest("retries", "w", 1, Duration.ofSeconds(30))).get(0);
        assertThat(last.lastAttempt()).isTrue();
        manager.complete(List.of(new Completion(last.lease(), Outcome.retry("boom 4"), "w")));
        JobSnapshot dead = manager.get(id);
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.lastError()).contains("no attempts left").contains("boom 4");
        assertThat(dead.finishedAt()).isNotNull();
    }

    @Test
    void backoffCeilingsGrowExponentiallyUpToTheCap() {
        assertThat(RetryPolicy.ceilingMicros(BASE, CAP, 1)).isEqualTo(2_000_000);
        assertThat(RetryPolicy.ceilingMicros(BASE, CAP, 2)).isEqualTo(4_000_000);
        assertThat(RetryPolicy.ceilingMicros(BASE, CAP, 3)).isEqualTo(8_000_000);
        assertThat(RetryPolicy.ceilingMicros(BASE, CAP, 4)).isEqualTo(10_000_000);
        assertThat(RetryPolicy.ceilingMicros(BASE, CAP, 90)).isEqualTo(10_000_000);
        RetryPolicy p = RetryPolicy.exponential(BASE, CAP);
        for (int i = 0; i < 1000; i++) {
            assertThat(p.backoff(3)).isBetween(Duration.ZERO, Duration.ofSeconds(8));
        }
    }

    @Test
    void aNonRetryableFailureIsDeadAtOnceAndAHandBackSpendsNoAttempt(TestDb db) {
        QueueManager manager = new QueueManager(db.open());
        long failing = manager.submit(Jobs.noop("final")).jobId();
        ClaimedJob job = manager.claim(new ClaimRequest("final", "w", 1, Duration.ofSeconds(30))).get(0);
        manager.complete(List.of(new Completion(job.lease(), Outcome.failed("serial mismatch"), "w")));
        assertThat(manager.get(failing).state()).isEqualTo(JobState.DEAD);
        assertThat(manager.get(failing).lastError()).contains("serial mismatch");

        long handed = manager.submit(Jobs.noop("final")).jobId();
        ClaimedJob h = manager.claim(new ClaimRequest("final", "w", 1, Duration.ofSeconds(30))).get(0);
        assertThat(h.id()).isEqualTo(handed);
        manager.complete(List.of(new Completion(h.lease(), new Outcome.Released("shutting down"), "w")));
        JobSnapshot back = manager.get(handed);
        assertThat(back.state()).isEqualTo(JobState.READY);
        assertThat(back.attempt()).isZero();
    }
}
