package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** 8 claimers on real threads, each with its own pool as separate processes would have. */
@ExtendWith(TestDatabase.class)
class ClaimExactlyOnceIT {
    private static final int JOBS = 5_000;
    private static final int CLAIMERS = 8;

    @Test
    void everyJobIsClaimedAndCompletedExactlyOnce(TestDb db) throws Exception {
        QueueManager submitter = new QueueManager(db.open());
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            batch.add(Jobs.noop("exactly-once"));
            if (batch.size() == JobRules.MAX_BATCH_SIZE) {
                submitter.submitAll(batch);
                batch.clear();
            }
        }
        Map<Long, AtomicInteger> claims = new ConcurrentHashMap<>();
        AtomicInteger lost = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(CLAIMERS);
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < CLAIMERS; w++) {
            QueueManager manager = new QueueManager(db.openFresh());
            String owner = "claimer-" + w;
            results.add(threads.submit(() -> {
                start.await();
                int mine = 0;
                while (true) {
                    List<ClaimedJob> got = manager.claim(new ClaimRequest("exactly-once", owner, 10,
                            Duration.ofSeconds(60)));
                    if (got.isEmpty()) {
                        return mine;
                    }
                    List<Completion> done = new ArrayList<>();
                    for (ClaimedJob j : got) {
                        claims.computeIfAbsent(j.id(), k -> new AtomicInteger()).incrementAndGet();
                        done.add(new Completion(j.lease(), Outcome.succeeded(), owner));
                    }
                    lost.addAndGet(manager.complete(done).lost().size());
                    mine += got.size();
                }
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get(5, TimeUnit.MINUTES);
        }
        threads.shutdown();

        assertThat(total).isEqualTo(JOBS);
        assertThat(claims).hasSize(JOBS);
        assertThat(claims.values()).allMatch(n -> n.get() == 1);
        assertThat(lost.get()).isZero();
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE state = 'SUCCEEDED' AND attempt = 1")).isEqualTo(JOBS);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event WHERE state = 'SUCCEEDED'")).isEqualTo(JOBS);
        // The work was spread: more than one claimer took jobs.
        assertThat(db.queryLong("SELECT COUNT(DISTINCT worker) FROM job_event WHERE state = 'RUNNING'"))
                .isGreaterThan(1);
    }
}
