package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class CancelAndReapIT {

    @Test
    void cancellingAWaitingOrReadyJobEndsItAtOnce(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        long ready = m.submit(Jobs.noop("cancel")).jobId();
        long dependent = m.submit(Jobs.builder("cancel").dependsOn(List.of(ready)).build()).jobId();
        assertThat(m.cancel(ready, "not needed", "ops")).isEqualTo(JobState.CANCELLED);
        assertThat(m.get(ready).lastError()).isEqualTo("cancelled by ops: not needed");
        assertThat(m.get(dependent).state()).isEqualTo(JobState.CANCELLED);
        assertThatThrownBy(() -> m.cancel(ready, null, "ops"))
                .isInstanceOf(IllegalJobStateException.class).hasMessageContaining("it is CANCELLED");
        assertThatThrownBy(() -> m.cancel(999_999, null, "ops")).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void cancellingARunningJobReachesItsWorkerThroughTheHeartbeat(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        long id = m.submit(Jobs.noop("cancel-run")).jobId();
        ClaimedJob job = m.claim(new ClaimRequest("cancel-run", "w", 1, Duration.ofSeconds(30))).get(0);
        assertThat(m.cancel(id, "wrong rack", "tech")).isEqualTo(JobState.RUNNING);
        HeartbeatResult beat = m.heartbeat("w", List.of(job.lease()), Duration.ofSeconds(30));
        assertThat(beat.cancelRequested()).containsExactly(job.lease());
        assertThat(beat.lost()).isEmpty();
        m.complete(List.of(new Completion(job.lease(), new Outcome.Cancelled("interrupted"), "w")));
        assertThat(m.get(id).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void theReaperReturnsExpiredLeasesOrEndsThem(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        long again = m.submit(Jobs.builder("reap").maxAttempts(2).build()).jobId();
        long last = m.submit(Jobs.builder("reap").maxAttempts(1).build()).jobId();
        long cancelled = m.submit(Jobs.builder("reap").maxAttempts(3).build()).jobId();
        m.claim(new ClaimRequest("reap", "crashed", 3, Duration.ofMillis(200)));
        m.cancel(cancelled, null, "ops");
        Conditions.await(Duration.ofSeconds(10), "the three leases to expire",
                () -> db.queryLong("SELECT COUNT(*) FROM job WHERE lease_expires_at < NOW(6)") == 3);
        assertThat(m.reapExpired(100)).isEqualTo(3);
        assertThat(m.get(again).state()).isEqualTo(JobState.READY);
        assertThat(m.get(again).lastError()).contains("lease of crashed expired on attempt 1 of 2");
        assertThat(m.get(last).state()).isEqualTo(JobState.DEAD);
        assertThat(m.get(cancelled).state()).isEqualTo(JobState.CANCELLED);
        assertThat(m.reapExpired(100)).isZero();
    }

    @Test
    void retryRevivesADeadJobWithFreshAttempts(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        long id = m.submit(Jobs.builder("revive").maxAttempts(1).build()).jobId();
        ClaimedJob j = m.claim(new ClaimRequest("revive", "w", 1, Duration.ofSeconds(30))).get(0);
        m.complete(List.of(new Completion(j.lease(), Outcome.retry("flaky"), "w")));
        assertThat(m.get(id).state()).isEqualTo(JobState.DEAD);
        assertThat(m.retry(id, "ops")).isEqualTo(JobState.READY);
        assertThat(m.get(id).attempt()).isZero();
        assertThatThrownBy(() -> m.retry(id, "ops")).isInstanceOf(IllegalJobStateException.class);
    }

    @Test
    void aCancelRequestedWhileRunningEndsTheJobCancelledWhateverItsHandlerReports(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        List<Outcome> outcomes = List.of(Outcome.retry("switch unreachable"), new Outcome.Released("pool stopping"),
                Outcome.failed("bad config"));
        for (int i = 0; i < outcomes.size(); i++) {
            String queue = "cancel-lost-" + i;
            long id = m.submit(Jobs.builder(queue).maxAttempts(5).build()).jobId();
            ClaimedJob job = m.claim(new ClaimRequest(queue, "w", 1, Duration.ofSeconds(30))).get(0);
            assertThat(m.cancel(id, "wrong rack", "tech")).isEqualTo(JobState.RUNNING);
            CompletionResult done = m.complete(List.of(new Completion(job.lease(), outcomes.get(i), "w")));
            assertThat(done.applied()).containsExactly(job.lease());
            JobSnapshot after = m.get(id);
            assertThat(after.state()).as("after %s", outcomes.get(i)).isEqualTo(JobState.CANCELLED);
            assertThat(after.lastError()).as("after %s", outcomes.get(i)).contains("cancel");
            assertThat(m.claim(new ClaimRequest(queue, "w2", 10, Duration.ofSeconds(30)))).isEmpty();
        }
    }

    @Test
    void noClaimTakesAJobWhoseCancelWasRequested(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        long id = m.submit(Jobs.noop("cancel-pending")).jobId();
        // A READY row whose cancel was requested, as a version that lost cancels left them.
        assertThat(db.update("UPDATE job SET cancel_requested = TRUE WHERE id = ?", id)).isEqualTo(1);
        assertThat(m.claim(new ClaimRequest("cancel-pending", "w", 10, Duration.ofSeconds(30)))).isEmpty();
        // An operator's cancel then ends it.
        assertThat(m.cancel(id, null, "ops")).isEqualTo(JobState.CANCELLED);
    }
}
