package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A worker whose lease was reaped cannot write anything about the job any more. */
@ExtendWith(TestDatabase.class)
class LeaseFencingIT {

    @Test
    void aReapedWorkerCannotCompleteAndTheJobRunsAgainAndCompletesOnce(TestDb db) {
        QueueManager stalled = new QueueManager(db.openFresh());
        QueueManager healthy = new QueueManager(db.openFresh());
        long id = healthy.submit(Jobs.noop("fenced")).jobId();

        ClaimedJob first = stalled.claim(new ClaimRequest("fenced", "stalled", 1, Duration.ofMillis(200))).get(0);
        assertThat(first.id()).isEqualTo(id);
        // The stalled worker sends no heartbeat; once its lease expires by the DB clock, the reaper takes it back.
        Conditions.await(Duration.ofSeconds(10), "the lease to be reaped", () -> healthy.reapExpired(10) == 1);
        assertThat(healthy.get(id).state()).isEqualTo(JobState.READY);

        ClaimedJob second = healthy.claim(new ClaimRequest("fenced", "healthy", 1, Duration.ofSeconds(30))).get(0);
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.leaseEpoch()).isGreaterThan(first.leaseEpoch());
        assertThat(second.attempt()).isEqualTo(2);

        // The stalled worker wakes up: everything it writes is refused.
        assertThat(stalled.recordEvent(first.lease(), new EventDraft("late", "OK", null, "too late"), "stalled"))
                .isFalse();
        assertThat(stalled.heartbeat("stalled", List.of(first.lease()), Duration.ofSeconds(30)).lost())
                .containsExactly(first.lease());
        CompletionResult late = stalled.complete(List.of(new Completion(first.lease(),
                Outcome.succeeded("stale".getBytes()), "stalled")));
        assertThat(late.applied()).isEmpty();
        assertThat(late.lost()).containsExactly(first.lease());
        assertThat(healthy.get(id).state()).isEqualTo(JobState.RUNNING);

        CompletionResult done = healthy.complete(List.of(new Completion(second.lease(),
                Outcome.succeeded("fresh".getBytes()), "healthy")));
        assertThat(done.applied()).containsExactly(second.lease());
        JobSnapshot job = healthy.get(id);
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(new String(job.result())).isEqualTo("fresh");
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event WHERE job_id = ? AND state = 'SUCCEEDED'", id))
                .isEqualTo(1);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event WHERE job_id = ? AND step = 'late'", id)).isZero();
    }

    @Test
    void transactionalWorkCommitsWithTheCompletionAndNotWithoutIt(TestDb db) throws Exception {
        QueueManager manager = new QueueManager(db.open());
        db.update("CREATE TABLE side_effect (job_id BIGINT PRIMARY KEY, note VARCHAR(32))");
        long id = manager.submit(Jobs.noop("tx-work")).jobId();
        ClaimedJob stale = manager.claim(new ClaimRequest("tx-work", "a", 1, Duration.ofMillis(150))).get(0);
        Conditions.await(Duration.ofSeconds(10), "the lease to be reaped", () -> manager.reapExpired(10) == 1);
        ClaimedJob fresh = manager.claim(new ClaimRequest("tx-work", "b", 1, Duration.ofSeconds(30))).get(0);

        TransactionalWork write = c -> {
            try (var ps = c.prepareStatement("INSERT INTO side_effect VALUES (?, 'written')")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        };
        assertThat(manager.complete(List.of(new Completion(stale.lease(), Outcome.succeeded(null, write), "a")))
                .lost()).containsExactly(stale.lease());
        assertThat(db.queryLong("SELECT COUNT(*) FROM side_effect")).isZero();

        assertThat(manager.complete(List.of(new Completion(fresh.lease(), Outcome.succeeded(null, write), "b")))
                .applied()).containsExactly(fresh.lease());
        assertThat(db.queryLong("SELECT COUNT(*) FROM side_effect WHERE job_id = ?", id)).isEqualTo(1);
        assertThat(manager.get(id).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void heartbeatExtendsTheLeaseByTheDatabaseClock(TestDb db) {
        QueueManager manager = new QueueManager(db.open());
        long id = manager.submit(Jobs.noop("beat")).jobId();
        ClaimedJob job = manager.claim(new ClaimRequest("beat", "w", 1, Duration.ofSeconds(1))).get(0);
        assertThat(manager.heartbeat("w", List.of(job.lease()), Duration.ofSeconds(60)))
                .isEqualTo(HeartbeatResult.NONE);
        long remainingMicros = db.queryLong(
                "SELECT TIMESTAMPDIFF(MICROSECOND, NOW(6), lease_expires_at) FROM job WHERE id = ?", id);
        assertThat(remainingMicros).isBetween(50_000_000L, 60_000_000L);
        // Another owner cannot renew it.
        assertThat(manager.heartbeat("intruder", List.of(job.lease()), Duration.ofSeconds(60)).lost())
                .containsExactly(job.lease());
    }

    @Test
    void aFailingHandlerWriteUndoesOnlyItsOwnJobInABatch(TestDb db) {
        QueueManager manager = new QueueManager(db.open());
        db.update("CREATE TABLE IF NOT EXISTS batch_effect (job_id BIGINT PRIMARY KEY)");
        long good = manager.submit(Jobs.noop("tx-batch")).jobId();
        long bad = manager.submit(Jobs.noop("tx-batch")).jobId();
        long plain = manager.submit(Jobs.noop("tx-batch")).jobId();
        List<ClaimedJob> jobs = manager.claim(new ClaimRequest("tx-batch", "w", 3, Duration.ofSeconds(30)));
        java.util.function.Function<Long, TransactionalWork> insert = id -> c -> {
            try (var ps = c.prepareStatement("INSERT INTO batch_effect VALUES (?)")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            if (id == bad) {
                throw new java.sql.SQLException("disk quota of the handler's table exceeded");
            }
        };
        List<Completion> batch = jobs.stream().map(j -> new Completion(j.lease(), j.id() == plain
                ? Outcome.succeeded() : Outcome.succeeded(null, insert.apply(j.id())), "w")).toList();
        CompletionResult result = manager.complete(batch);

        assertThat(result.lost()).isEmpty();
        assertThat(db.queryList("SELECT job_id FROM batch_effect")).containsExactly(good);
        assertThat(manager.get(good).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(manager.get(plain).state()).isEqualTo(JobState.SUCCEEDED);
        JobSnapshot retried = manager.get(bad);
        assertThat(retried.state()).isEqualTo(JobState.READY);
        assertThat(retried.lastError()).contains("completion work failed").contains("disk quota");
    }
}
