package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Concurrent single submissions share transactions (store/GroupCommit), with real threads against
 * the real database: each caller is answered with a job that is committed and is its own, and one
 * caller's idempotency conflict fails no other caller of its group.
 */
@ExtendWith(TestDatabase.class)
class GroupCommitIT {
    private static final int THREADS = 12;

    @Test
    void concurrentCallersShareCommitsAndEachGetsItsOwnCommittedJob(TestDb db) throws Exception {
        QueueManager manager = new QueueManager(db.open());
        int perThread = 30;
        List<List<Object>> answers = onThreads(THREADS, (t, barrier) -> {
            List<Object> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                barrier.await();
                mine.add(manager.submit(Jobs.builder("grouped").payload(("t" + t + "-" + i).getBytes(
                        StandardCharsets.UTF_8)).labels(Map.of("thread", "t" + t)).build()));
            }
            return mine;
        });
        int total = THREADS * perThread;
        List<Long> ids = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < perThread; i++) {
                SubmitResult r = (SubmitResult) answers.get(t).get(i);
                ids.add(r.jobId());
                assertThat(r.deduplicated()).isFalse();
                assertThat(r.state()).isEqualTo(JobState.READY);
                // The id answered is this caller's job, committed with its own payload and label.
                assertThat(new String((byte[]) db.queryList("SELECT payload FROM job WHERE id = ?", r.jobId()).get(0),
                        StandardCharsets.UTF_8)).isEqualTo("t" + t + "-" + i);
                assertThat(db.queryList("SELECT value FROM job_label WHERE job_id = ? AND name = 'thread'", r.jobId()))
                        .containsExactly("t" + t);
                assertThat(r.createdAt()).isNotNull();
            }
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = 'grouped'")).isEqualTo(total);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event e JOIN job j ON j.id = e.job_id "
                + "WHERE j.queue = 'grouped' AND e.state = 'READY'")).isEqualTo(total);
        // The rows of one multi-row INSERT share its NOW(6): fewer distinct creation times than jobs
        // means that callers did share transactions (12 callers released together, 30 times).
        assertThat(db.queryLong("SELECT COUNT(DISTINCT created_at) FROM job WHERE queue = 'grouped'"))
                .isLessThan(total);
    }

    @Test
    void oneCallersConflictOrRepeatFailsNoOtherCallerOfItsGroup(TestDb db) throws Exception {
        QueueManager manager = new QueueManager(db.open());
        int rounds = 8;
        long[] existing = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            existing[round] = manager.submit(Jobs.builder("conflicts").payload("a".getBytes())
                    .idempotencyKey("k" + round).build()).jobId();
        }
        long before = db.queryLong("SELECT COUNT(*) FROM job WHERE queue = 'conflicts'");
        List<List<Object>> answers = onThreads(THREADS, (t, barrier) -> {
            List<Object> mine = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                barrier.await();
                NewJob.Builder job = Jobs.builder("conflicts").payload(("r" + round + "t" + t).getBytes());
                if (t == 0) {
                    job.payload("b".getBytes()).idempotencyKey("k" + round); // another request: a conflict
                } else if (t == 1) {
                    job.payload("a".getBytes()).idempotencyKey("k" + round); // the same request: the stored job
                }
                try {
                    mine.add(manager.submit(job.build()));
                } catch (ConveyorException e) {
                    mine.add(e);
                }
            }
            return mine;
        });
        for (int round = 0; round < rounds; round++) {
            assertThat(answers.get(0).get(round)).isInstanceOfSatisfying(IdempotencyConflictException.class,
                    e -> assertThat(e.existingJobId()).isPositive());
            assertThat(answers.get(1).get(round)).isInstanceOfSatisfying(SubmitResult.class, r -> {
                assertThat(r.deduplicated()).isTrue();
            });
            assertThat(((SubmitResult) answers.get(1).get(round)).jobId()).isEqualTo(existing[round]);
            for (int t = 2; t < THREADS; t++) {
                Object answer = answers.get(t).get(round);
                assertThat(answer).as("thread %d round %d", t, round).isInstanceOf(SubmitResult.class);
                long id = ((SubmitResult) answer).jobId();
                assertThat(new String((byte[]) db.queryList("SELECT payload FROM job WHERE id = ?", id).get(0),
                        StandardCharsets.UTF_8)).isEqualTo("r" + round + "t" + t);
            }
        }
        // Exactly the plain jobs were added: the conflicts and repeats wrote nothing.
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = 'conflicts'"))
                .isEqualTo(before + (long) rounds * (THREADS - 2));
    }

    @Test
    void aRepeatedKeyInsideOneGroupIsOneJob(TestDb db) throws Exception {
        QueueManager manager = new QueueManager(db.open());
        List<List<Object>> answers = onThreads(THREADS, (t, barrier) -> {
            List<Object> mine = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                barrier.await();
                mine.add(manager.submit(Jobs.builder("repeats").payload("same".getBytes())
                        .idempotencyKey("key-" + round).build()));
            }
            return mine;
        });
        for (int round = 0; round < 5; round++) {
            int r = round;
            List<SubmitResult> results = answers.stream().map(a -> (SubmitResult) a.get(r)).toList();
            assertThat(results).extracting(SubmitResult::jobId).containsOnly(results.get(0).jobId());
            assertThat(results).filteredOn(s -> !s.deduplicated()).hasSize(1);
        }
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = 'repeats'")).isEqualTo(5);
    }

    @FunctionalInterface
    private interface Caller {
        List<Object> run(int thread, CyclicBarrier barrier) throws Exception;
    }

    /** Runs {@code caller} on {@code threads} platform threads; each round starts when all are at the barrier. */
    private static List<List<Object>> onThreads(int threads, Caller caller) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier barrier = new CyclicBarrier(threads);
            List<Future<List<Object>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> caller.run(thread, barrier)));
            }
            List<List<Object>> out = new ArrayList<>();
            for (Future<List<Object>> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
