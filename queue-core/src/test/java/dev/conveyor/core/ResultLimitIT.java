package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Results are bounded as payloads are: one too large ends its job DEAD at once, never a re-run. */
@ExtendWith(TestDatabase.class)
class ResultLimitIT {

    private static ClaimedJob claimOne(QueueManager m, String queue) {
        List<ClaimedJob> got = m.claim(new ClaimRequest(queue, "w", 1, Duration.ofSeconds(30)));
        assertThat(got).hasSize(1);
        return got.get(0);
    }

    @Test
    void aResultOverTheConfiguredLimitMakesTheJobDeadAtOnceNamingTheLimit(TestDb db) {
        QueueManager m = new QueueManager(db.open(), QueueManagerConfig.DEFAULTS.withLimits(new SubmitLimits(1024)));
        assertThat(m.config().limits().maxResultBytes()).isEqualTo(1024);
        long big = m.submit(Jobs.builder("results").maxAttempts(5).build()).jobId();
        long fits = m.submit(Jobs.builder("results").maxAttempts(5).build()).jobId();
        ClaimedJob a = claimOne(m, "results");
        ClaimedJob b = claimOne(m, "results");
        // Both in one batch: the oversized result must not hold back the other.
        CompletionResult done = m.complete(List.of(
                new Completion(a.id() == big ? a.lease() : b.lease(), Outcome.succeeded(new byte[1025]), "w"),
                new Completion(a.id() == fits ? a.lease() : b.lease(), Outcome.succeeded(new byte[1024]), "w")));
        assertThat(done.lost()).isEmpty();
        JobSnapshot dead = m.get(big);
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(dead.lastError()).contains("result").contains("1025 bytes").contains("1024 bytes");
        assertThat(dead.result()).isNull();
        assertThat(m.get(fits).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(m.get(fits).result()).hasSize(1024);
        assertThat(m.claim(new ClaimRequest("results", "w", 10, Duration.ofSeconds(30)))).isEmpty();
    }

    @Test
    void aResultLargerThanItsColumnIsRefusedTheSameWay(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        long id = m.submit(Jobs.builder("huge-results").maxAttempts(5).build()).jobId();
        ClaimedJob job = claimOne(m, "huge-results");
        byte[] huge = new byte[JobRules.MAX_PAYLOAD_BYTES_CEILING + 1];
        CompletionResult done = m.complete(List.of(new Completion(job.lease(), Outcome.succeeded(huge), "w")));
        assertThat(done.applied()).containsExactly(job.lease());
        JobSnapshot dead = m.get(id);
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.lastError()).contains(Integer.toString(SubmitLimits.DEFAULT_MAX_PAYLOAD_BYTES));
    }
}
