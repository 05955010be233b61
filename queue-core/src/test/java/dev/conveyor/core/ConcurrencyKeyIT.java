package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class ConcurrencyKeyIT {
    private static final int LIMIT = 2;
    private static final int JOBS = 40;

    @Test
    void atMostNJobsOfAKeyRunAtOnceAcrossClaimers(TestDb db) throws Exception {
        QueueManager setup = new QueueManager(db.open(), new QueueManagerConfig(SubmitLimits.DEFAULTS,
                RetryPolicy.DEFAULT, Duration.ofMillis(20), QueueManagerConfig.DEFAULT_WORKER_LIVENESS));
        for (int i = 0; i < JOBS; i++) {
            setup.submit(NewJob.builder("keyed", "noop").concurrency("rack-r1", LIMIT).build());
        }
        setup.submit(NewJob.builder("keyed", "noop").build());
        AtomicInteger runningNow = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            QueueManager m = new QueueManager(db.openFresh(), setup.config().withRetryPolicy(RetryPolicy.DEFAULT));
            String owner = "w" + w;
            futures.add(pool.submit(() -> {
                go.await();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (finished.get() < JOBS + 1 && System.nanoTime() < deadline) {
                    List<ClaimedJob> got = m.claim(new ClaimRequest("keyed", owner, 3, Duration.ofSeconds(30)));
                    int keyed = (int) db.queryLong(
                            "SELECT COUNT(*) FROM job WHERE concurrency_key = 'rack-r1' AND state = 'RUNNING'");
                    maxSeen.accumulateAndGet(keyed, Math::max);
                    runningNow.addAndGet(got.size());
                    List<Completion> done = got.stream()
                            .map(j -> new Completion(j.lease(), Outcome.succeeded(), owner)).toList();
                    if (!done.isEmpty()) {
                        m.complete(done);
                        finished.addAndGet(done.size());
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(90, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(finished.get()).isEqualTo(JOBS + 1);
        assertThat(maxSeen.get()).isBetween(1, LIMIT);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE state = 'SUCCEEDED'")).isEqualTo(JOBS + 1);
    }
}
