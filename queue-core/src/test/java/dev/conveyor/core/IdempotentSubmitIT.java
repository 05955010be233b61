package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class IdempotentSubmitIT {

    @Test
    void theSameRequestReturnsTheSameJob(TestDb db) {
        QueueManager manager = new QueueManager(db.open());
        NewJob job = Jobs.builder("idem").payload("a".getBytes()).idempotencyKey("order-1").build();
        SubmitResult first = manager.submit(job);
        SubmitResult again = manager.submit(Jobs.builder("idem").payload("a".getBytes()).idempotencyKey("order-1")
                .createdBy("someone else").build());
        assertThat(first.deduplicated()).isFalse();
        assertThat(again.deduplicated()).isTrue();
        assertThat(again.jobId()).isEqualTo(first.jobId());
        // The job stored under the key is the one answered, and the repeat wrote nothing: no second
        // job in the queue (under no key), no second "submitted" event, the first creator kept.
        assertThat(db.queryLong("SELECT id FROM job WHERE queue = 'idem' AND idempotency_key = 'order-1'"))
                .isEqualTo(first.jobId());
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = 'idem'")).isEqualTo(1);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event WHERE job_id = ?", first.jobId())).isEqualTo(1);
        assertThat(manager.get(first.jobId()).createdBy()).isNull();
    }

    @Test
    void aDifferentRequestWithTheSameKeyIsAConflictAndWritesNothing(TestDb db) {
        QueueManager manager = new QueueManager(db.open());
        long id = manager.submit(Jobs.builder("idem2").payload("a".getBytes()).idempotencyKey("k").build()).jobId();
        long events = db.queryLong("SELECT COUNT(*) FROM job_event");
        long jobs = db.queryLong("SELECT COUNT(*) FROM job");
        assertThatThrownBy(() -> manager.submit(Jobs.builder("idem2").payload("b".getBytes()).idempotencyKey("k")
                .build()))
                .isInstanceOfSatisfying(IdempotencyConflictException.class, e -> {
                    assertThat(e.existingJobId()).isEqualTo(id);
                    assertThat(e.getMessage()).contains("'k'").contains("idem2");
                });
        assertThat(db.queryLong("SELECT COUNT(*) FROM job")).isEqualTo(jobs);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event")).isEqualTo(events);
        // The same key in another queue is another job.
        assertThat(manager.submit(Jobs.builder("other").idempotencyKey("k").build()).deduplicated()).isFalse();
    }

    @Test
    void aBatchIsAllOrNothing(TestDb db) {
        QueueManager manager = new QueueManager(db.open());
        manager.submit(Jobs.builder("batch").payload("x".getBytes()).idempotencyKey("taken").build());
        List<NewJob> batch = List.of(Jobs.noop("batch"), Jobs.noop("batch"),
                Jobs.builder("batch").payload("y".getBytes()).idempotencyKey("taken").build());
        assertThatThrownBy(() -> manager.submitAll(batch)).isInstanceOf(IdempotencyConflictException.class);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = 'batch'")).isEqualTo(1);
    }

    @Test
    void concurrentSubmissionsOfOneKeyMakeOneJob(TestDb db) throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SubmitResult>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            QueueManager m = new QueueManager(db.openFresh());
            results.add(pool.submit(() -> {
                go.await();
                return m.submit(Jobs.builder("race").payload("same".getBytes()).idempotencyKey("once").build());
            }));
        }
        go.countDown();
        Set<Long> ids = new HashSet<>();
        int created = 0;
        for (Future<SubmitResult> f : results) {
            SubmitResult r = f.get(60, TimeUnit.SECONDS);
            ids.add(r.jobId());
            created += r.deduplicated() ? 0 : 1;
        }
        pool.shutdown();
        assertThat(ids).hasSize(1);
        assertThat(created).isEqualTo(1);
        long id = ids.iterator().next();
        assertThat(db.queryLong("SELECT id FROM job WHERE queue = 'race' AND idempotency_key = 'once'")).isEqualTo(id);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = 'race'")).isEqualTo(1);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event WHERE job_id = ?", id))
                .as("one submission event: the seven others were answered from the stored job").isEqualTo(1);
    }
}
