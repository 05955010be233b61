package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class DependencyIT {

    private static ClaimedJob claimOne(QueueManager m, String queue, long expectedId) {
        List<ClaimedJob> got = m.claim(new ClaimRequest(queue, "w", 1, Duration.ofSeconds(30)));
        assertThat(got).extracting(ClaimedJob::id).containsExactly(expectedId);
        return got.get(0);
    }

    @Test
    void aChainRunsInOrderAndADeadLinkCancelsTheRestWithAReason(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        long a = m.submit(Jobs.noop("chain")).jobId();
        SubmitResult b = m.submit(Jobs.builder("chain").dependsOn(List.of(a)).build());
        SubmitResult c = m.submit(Jobs.builder("chain").dependsOn(List.of(b.jobId())).build());
        SubmitResult d = m.submit(Jobs.builder("chain").dependsOn(List.of(c.jobId())).build());
        assertThat(List.of(b.state(), c.state(), d.state())).containsOnly(JobState.WAITING);

        ClaimedJob ja = claimOne(m, "chain", a);
        m.complete(List.of(new Completion(ja.lease(), Outcome.succeeded(), "w")));
        assertThat(m.get(b.jobId()).state()).isEqualTo(JobState.READY);
        assertThat(m.get(c.jobId()).state()).isEqualTo(JobState.WAITING);

        ClaimedJob jb = claimOne(m, "chain", b.jobId());
        m.complete(List.of(new Completion(jb.lease(), Outcome.failed("switch unreachable"), "w")));
        assertThat(m.get(b.jobId()).state()).isEqualTo(JobState.DEAD);
        JobSnapshot cc = m.get(c.jobId());
        assertThat(cc.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cc.lastError()).isEqualTo("cancelled: dependency job " + b.jobId() + " ended DEAD");
        JobSnapshot dd = m.get(d.jobId());
        assertThat(dd.state()).isEqualTo(JobState.CANCELLED);
        assertThat(dd.lastError()).isEqualTo("cancelled: dependency job " + c.jobId() + " ended CANCELLED");
        // A job submitted after its dependency died is cancelled at once.
        SubmitResult late = m.submit(Jobs.builder("chain").dependsOn(List.of(b.jobId())).build());
        assertThat(late.state()).isEqualTo(JobState.CANCELLED);
        assertThat(m.claim(new ClaimRequest("chain", "w", 10, Duration.ofSeconds(30)))).isEmpty();
    }

    @Test
    void twoDependenciesEndingAtTheSameMomentReleaseTheirDependentOnce(TestDb db) throws Exception {
        for (int round = 0; round < 20; round++) {
            QueueManager m1 = new QueueManager(db.openFresh());
            QueueManager m2 = new QueueManager(db.openFresh());
            String q = "diamond" + round;
            long a = m1.submit(Jobs.noop(q)).jobId();
            long b = m1.submit(Jobs.noop(q)).jobId();
            long joined = m1.submit(Jobs.builder(q).dependsOn(List.of(a, b)).build()).jobId();
            List<ClaimedJob> both = m1.claim(new ClaimRequest(q, "w", 2, Duration.ofSeconds(30)));
            assertThat(both).hasSize(2);
            CyclicBarrier barrier = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<?> f1 = pool.submit(() -> {
                barrier.await();
                return m1.complete(List.of(new Completion(both.get(0).lease(), Outcome.succeeded(), "w1")));
            });
            Future<?> f2 = pool.submit(() -> {
                barrier.await();
                return m2.complete(List.of(new Completion(both.get(1).lease(), Outcome.succeeded(), "w2")));
            });
            f1.get(30, TimeUnit.SECONDS);
            f2.get(30, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(m1.get(joined).state()).as("round %d", round).isEqualTo(JobState.READY);
            assertThat(db.queryLong("SELECT COUNT(*) FROM job_event WHERE job_id = ? AND state = 'READY'", joined))
                    .isEqualTo(1);
        }
    }

    @Test
    void aParentWaitsForAllItsChildrenToEndWhateverTheirOutcome(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        long parent = m.submit(Jobs.builder("wf").awaitChildren(true).build()).jobId();
        long ok = m.submit(Jobs.builder("wf-kids").parentId(parent).build()).jobId();
        long bad = m.submit(Jobs.builder("wf-kids").parentId(parent).build()).jobId();
        assertThat(m.get(parent).state()).isEqualTo(JobState.WAITING);
        List<ClaimedJob> kids = m.claim(new ClaimRequest("wf-kids", "w", 2, Duration.ofSeconds(30)));
        ClaimedJob kOk = kids.stream().filter(k -> k.id() == ok).findFirst().orElseThrow();
        ClaimedJob kBad = kids.stream().filter(k -> k.id() == bad).findFirst().orElseThrow();
        assertThat(kOk.parentId()).isEqualTo(parent);
        m.complete(List.of(new Completion(kOk.lease(), Outcome.succeeded(), "w")));
        assertThat(m.get(parent).state()).isEqualTo(JobState.WAITING);
        m.complete(List.of(new Completion(kBad.lease(), Outcome.failed("fan failed"), "w")));
        assertThat(m.get(parent).state()).isEqualTo(JobState.READY);
        assertThat(m.list(JobQuery.inQueue("wf-kids").withPage(10, null)).jobs()).hasSize(2);
    }

    /**
     * A retry reads its dependencies while one of them completes in another transaction whose
     * aftermath has already passed over the job (it was CANCELLED then; through the state index
     * its row is not even read). Unless the retry waits for that completion to commit and sees it,
     * the job is left WAITING on a dependency that already SUCCEEDED, forever. Interleaved
     * deterministically: the completion holds its lock, uncommitted, until the retry waits for it
     * (or has ended).
     */
    @Test
    void aRetryRacingItsDependencysCompletionWaitsForItAndEndsReady(TestDb db) throws Exception {
        QueueManager m = new QueueManager(db.open());
        long dep = m.submit(Jobs.noop("retry-race")).jobId();
        long job = m.submit(Jobs.builder("retry-race-kid").dependsOn(List.of(dep)).build()).jobId();
        ClaimedJob running = claimOne(m, "retry-race", dep);
        assertThat(m.cancel(job, null, "ops")).isEqualTo(JobState.CANCELLED);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection completing = db.newConnection()) {
            completing.setAutoCommit(false);
            completing.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try (PreparedStatement ps = completing.prepareStatement(
                    "UPDATE job SET state = 'SUCCEEDED', finished_at = NOW(6) WHERE id = ? AND lease_epoch = ?")) {
                ps.setLong(1, dep);
                ps.setLong(2, running.lease().epoch());
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            Future<JobState> retried = thread.submit(() -> m.retry(job, "ops"));
            Conditions.await(Duration.ofSeconds(30), "the retry to wait for the completion's lock, or to end",
                    // The retry's locking read of the dependencies is under way: it cannot end before the
                    // completion commits. (MariaDB shows such a wait as 'Sending data', and innodb_trx
                    // does not always say LOCK WAIT, so the statement itself is looked for.)
                    () -> retried.isDone() || db.queryLong("""
                            SELECT COUNT(*) FROM information_schema.processlist
                            WHERE db = DATABASE() AND command = 'Query' AND info LIKE '%job_dependency%SHARE MODE%'""") > 0);
            completing.commit();
            assertThat(retried.get(30, TimeUnit.SECONDS)).isEqualTo(JobState.READY);
        } finally {
            thread.shutdownNow();
        }
        assertThat(m.get(job).state()).isEqualTo(JobState.READY);
    }

    @Test
    void aChildOfAParentNoLongerWaitingForChildrenIsRefused(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        long parent = m.submit(Jobs.builder("wf-done").awaitChildren(true).build()).jobId();
        long kid = m.submit(Jobs.builder("wf-done-kids").parentId(parent).idempotencyKey("kid-1").build()).jobId();
        ClaimedJob k = claimOne(m, "wf-done-kids", kid);
        m.complete(List.of(new Completion(k.lease(), Outcome.succeeded(), "w")));
        assertThat(m.get(parent).state()).isEqualTo(JobState.READY);
        // A repeat of the child accepted before is answered with it, as any repeat is.
        SubmitResult repeat = m.submit(Jobs.builder("wf-done-kids").parentId(parent).idempotencyKey("kid-1").build());
        assertThat(repeat.deduplicated()).isTrue();
        assertThat(repeat.jobId()).isEqualTo(kid);
        assertThatThrownBy(() -> m.submit(Jobs.builder("wf-done-kids").parentId(parent).build()))
                .isInstanceOfSatisfying(IllegalJobStateException.class, e -> {
                    assertThat(e.jobId()).isEqualTo(parent);
                    assertThat(e.getMessage()).contains("add a child").contains("READY");
                });
        long plain = m.submit(Jobs.noop("wf-plain")).jobId();
        assertThatThrownBy(() -> m.submit(Jobs.builder("wf-done-kids").parentId(plain).build()))
                .isInstanceOf(IllegalJobStateException.class).hasMessageContaining("does not await children");
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = 'wf-done-kids'")).isEqualTo(1);
    }

    @Test
    void aParentWhoseChildrenAreAllBornCancelledIsReleased(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        long dead = m.submit(Jobs.builder("wf-born").maxAttempts(1).build()).jobId();
        ClaimedJob d = claimOne(m, "wf-born", dead);
        m.complete(List.of(new Completion(d.lease(), Outcome.failed("broken"), "w")));
        // In one transaction: the parent and two children born CANCELLED (their dependency is DEAD).
        long parent = m.inSubmitTransaction(s -> {
            long p = s.submit(Jobs.builder("wf-born-parent").awaitChildren(true).build()).jobId();
            for (int i = 0; i < 2; i++) {
                SubmitResult kid = s.submit(Jobs.builder("wf-born-kids").parentId(p).dependsOn(List.of(dead)).build());
                assertThat(kid.state()).isEqualTo(JobState.CANCELLED);
            }
            return p;
        });
        assertThat(m.get(parent).state()).isEqualTo(JobState.READY);
        // Alone: a parent's last child, running, ends; an earlier child was born CANCELLED.
        long later = m.submit(Jobs.builder("wf-born-parent").awaitChildren(true).build()).jobId();
        long live = m.submit(Jobs.builder("wf-born-live").parentId(later).build()).jobId();
        assertThat(m.submit(Jobs.builder("wf-born-kids").parentId(later).dependsOn(List.of(dead)).build()).state())
                .isEqualTo(JobState.CANCELLED);
        assertThat(m.get(later).state()).isEqualTo(JobState.WAITING);
        ClaimedJob l = claimOne(m, "wf-born-live", live);
        m.complete(List.of(new Completion(l.lease(), Outcome.succeeded(), "w")));
        assertThat(m.get(later).state()).isEqualTo(JobState.READY);
        // Alone, in its own transaction: the only child of a parent is born CANCELLED.
        long lone = m.submit(Jobs.builder("wf-born-parent").awaitChildren(true).build()).jobId();
        m.submit(Jobs.builder("wf-born-kids").parentId(lone).dependsOn(List.of(dead)).build());
        assertThat(m.get(lone).state()).isEqualTo(JobState.READY);
    }
}
