package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.db.Database;
import dev.conveyor.core.db.ServerFamily;
import dev.conveyor.core.store.EventLog;
import dev.conveyor.core.store.JobSubmitter;
import dev.conveyor.core.store.Transactions;
import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batches of plain jobs are inserted with multi-row INSERTs; these check that ids, idempotency,
 * events and audit records come out as they did one job at a time. Each test runs twice: with the
 * ids from {@code INSERT … RETURNING} (MariaDB, the server under test) and with the ids from the
 * generated keys of a consecutive-lock-mode insert (what a MySQL server with
 * {@code innodb_autoinc_lock_mode} ≤ 1 gets; MariaDB here runs mode 1, so that path is real too).
 */
@ExtendWith(TestDatabase.class)
class BatchSubmitIT {

    enum Ids { RETURNING, GENERATED_KEYS }

    /** A batch submission through the path under test, in one transaction, events included. */
    private interface Batches {
        List<SubmitResult> submitAll(List<NewJob> jobs);
    }

    private static Batches batches(Database database, Ids ids) {
        if (ids == Ids.RETURNING) {
            assertThat(database.family().supportsInsertReturning()).as("the test server is MariaDB 10.5+").isTrue();
            QueueManager manager = new QueueManager(database);
            return manager::submitAll;
        }
        JobSubmitter submitter = new JobSubmitter(SubmitLimits.DEFAULTS,
                new ServerFamily(ServerFamily.Kind.MYSQL, 8, 0, "8.0.36"));
        Transactions tx = new Transactions(database.dataSource());
        return jobs -> tx.inTransaction("submit", c -> {
            List<EventLog.StateChange> events = new ArrayList<>();
            List<SubmitResult> r = submitter.submitAll(c, jobs, events);
            JobSubmitter.endTransaction(c, events);
            return r;
        });
    }

    private static NewJob keyed(String queue, String key, String payload) {
        return Jobs.builder(queue).payload(payload.getBytes(StandardCharsets.UTF_8)).idempotencyKey(key).build();
    }

    private static NewJob plain(String queue, String payload) {
        return Jobs.builder(queue).payload(payload.getBytes(StandardCharsets.UTF_8)).build();
    }

    @ParameterizedTest
    @EnumSource(Ids.class)
    void aMixedBatchAnswersInRequestOrderWithTheStoredRows(Ids ids, TestDb db) {
        Database database = db.open();
        Batches b = batches(database, ids);
        String q = "mixed-" + ids.name().toLowerCase().replace("_", "-");
        long stored = new QueueManager(database).submit(keyed(q, "stored", "s")).jobId();
        List<NewJob> batch = List.of(
                plain(q, "p0"),
                keyed(q, "new-1", "n1"),
                keyed(q, "stored", "s"),           // already stored, same request
                Jobs.builder(q).payload("l3".getBytes()).labels(Map.of("rack", "r7")).concurrency("sw-1", 2).build(),
                keyed(q, "new-1", "n1"),           // repeated inside the batch, same request
                keyed(q, "new-5", "n5"),
                plain(q, "p6"));
        List<SubmitResult> r = b.submitAll(batch);

        assertThat(r).hasSize(batch.size());
        assertThat(r.get(2).jobId()).isEqualTo(stored);
        assertThat(r.get(2).deduplicated()).isTrue();
        assertThat(r.get(4).jobId()).isEqualTo(r.get(1).jobId());
        assertThat(r.get(4).deduplicated()).isTrue();
        for (int i : new int[] {0, 1, 3, 5, 6}) {
            SubmitResult res = r.get(i);
            assertThat(res.deduplicated()).isFalse();
            assertThat(res.state()).isEqualTo(JobState.READY);
            // The id answered for position i is the row holding request i's payload.
            assertThat(new String((byte[]) db.queryList("SELECT payload FROM job WHERE id = ?", res.jobId()).get(0),
                    StandardCharsets.UTF_8)).isEqualTo(new String(batch.get(i).payload(), StandardCharsets.UTF_8));
            assertThat(db.queryLong("SELECT COUNT(*) FROM job_event WHERE job_id = ? AND kind = 'STATE'"
                    + " AND state = 'READY'", res.jobId())).isEqualTo(1);
        }
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = ?", q)).isEqualTo(6);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event e JOIN job j ON j.id = e.job_id WHERE j.queue = ?",
                q)).isEqualTo(6);
        assertThat(db.queryList("SELECT value FROM job_label WHERE job_id = ? AND name = 'rack'", r.get(3).jobId()))
                .containsExactly("r7");
        assertThat(db.queryLong("SELECT max_running FROM concurrency_key WHERE name = 'sw-1'")).isEqualTo(2);

        // The same batch again creates nothing and answers with the same ids.
        List<SubmitResult> again = b.submitAll(batch.stream().filter(j -> j.idempotencyKey() != null).toList());
        assertThat(again).allMatch(SubmitResult::deduplicated);
        assertThat(again.stream().map(SubmitResult::jobId).toList())
                .containsExactly(r.get(1).jobId(), stored, r.get(1).jobId(), r.get(5).jobId());
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = ?", q)).isEqualTo(6);
    }

    @ParameterizedTest
    @EnumSource(Ids.class)
    void aStoredKeyWithAnotherRequestFailsTheBatchAndWritesNothing(Ids ids, TestDb db) {
        Database database = db.open();
        Batches b = batches(database, ids);
        String q = "conflict-" + ids.name().toLowerCase().replace("_", "-");
        long stored = new QueueManager(database).submit(keyed(q, "taken", "first")).jobId();
        long jobs = db.queryLong("SELECT COUNT(*) FROM job");
        long events = db.queryLong("SELECT COUNT(*) FROM job_event");
        assertThatThrownBy(() -> b.submitAll(List.of(plain(q, "a"), keyed(q, "free", "b"), keyed(q, "taken", "other"))))
                .isInstanceOfSatisfying(IdempotencyConflictException.class,
                        e -> assertThat(e.existingJobId()).isEqualTo(stored));
        assertThat(db.queryLong("SELECT COUNT(*) FROM job")).isEqualTo(jobs);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event")).isEqualTo(events);
    }

    @ParameterizedTest
    @EnumSource(Ids.class)
    void aKeyRepeatedInTheBatchWithAnotherRequestFailsTheBatchAndWritesNothing(Ids ids, TestDb db) {
        Batches b = batches(db.open(), ids);
        String q = "repeat-" + ids.name().toLowerCase().replace("_", "-");
        long jobs = db.queryLong("SELECT COUNT(*) FROM job");
        assertThatThrownBy(() -> b.submitAll(List.of(keyed(q, "k", "one"), plain(q, "x"), keyed(q, "k", "two"))))
                .isInstanceOf(IdempotencyConflictException.class);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job")).isEqualTo(jobs);
    }

    @ParameterizedTest
    @EnumSource(Ids.class)
    void concurrentBatchesWithOverlappingKeysMakeEachJobOnce(Ids ids, TestDb db) throws Exception {
        int threads = 6;
        int perBatch = 200;
        int step = 50;
        String q = "overlap-" + ids.name().toLowerCase().replace("_", "-");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<List<NewJob>> batchList = new ArrayList<>();
        List<Future<List<SubmitResult>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<NewJob> batch = new ArrayList<>();
            for (int k = t * step; k < t * step + perBatch; k++) {
                batch.add(keyed(q, "key-" + k, "payload-" + k));
                if (k % 10 == 0) {
                    batch.add(plain(q, "plain-" + t + "-" + k));
                }
            }
            batchList.add(batch);
            Batches b = batches(db.openFresh(), ids);
            futures.add(pool.submit(() -> {
                go.await();
                return b.submitAll(batch);
            }));
        }
        go.countDown();
        Map<String, Long> idOfKey = new HashMap<>();
        Map<String, Integer> creators = new HashMap<>();
        int plainJobs = 0;
        for (int t = 0; t < threads; t++) {
            List<SubmitResult> results = futures.get(t).get(120, TimeUnit.SECONDS);
            List<NewJob> batch = batchList.get(t);
            assertThat(results).hasSize(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                NewJob job = batch.get(i);
                SubmitResult r = results.get(i);
                if (job.idempotencyKey() == null) {
                    plainJobs++;
                    assertThat(r.deduplicated()).isFalse();
                } else {
                    Long before = idOfKey.putIfAbsent(job.idempotencyKey(), r.jobId());
                    assertThat(before == null ? r.jobId() : before).as(job.idempotencyKey()).isEqualTo(r.jobId());
                    creators.merge(job.idempotencyKey(), r.deduplicated() ? 0 : 1, Integer::sum);
                }
                assertThat(new String((byte[]) db.queryList("SELECT payload FROM job WHERE id = ?", r.jobId()).get(0),
                        StandardCharsets.UTF_8)).isEqualTo(new String(job.payload(), StandardCharsets.UTF_8));
            }
        }
        pool.shutdown();
        int keys = (threads - 1) * step + perBatch;
        assertThat(idOfKey).hasSize(keys);
        assertThat(creators.values()).allMatch(n -> n == 1);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = ?", q)).isEqualTo(keys + plainJobs);
        assertThat(db.queryLong("SELECT COUNT(DISTINCT idempotency_key) FROM job WHERE queue = ?", q)).isEqualTo(keys);
        // One "submitted" event per job, no more, no fewer.
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event e JOIN job j ON j.id = e.job_id WHERE j.queue = ?",
                q)).isEqualTo(keys + plainJobs);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job j WHERE j.queue = ? AND (SELECT COUNT(*) FROM job_event e"
                + " WHERE e.job_id = j.id) <> 1", q)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Ids.class, names = "RETURNING")
    void anAuditedBatchWritesOneAuditRecordNamingItsJobs(Ids ids, TestDb db) {
        QueueManager manager = new QueueManager(db.open())
                .as(new Audit("alice", "submitter", "SubmitJobs", "127.0.0.1"));
        long before = db.queryLong("SELECT COUNT(*) FROM audit_event WHERE actor = 'alice'");
        List<SubmitResult> r = manager.submitAll(List.of(plain("audited", "a"), plain("audited", "b"),
                plain("audited", "c")));
        assertThat(db.queryLong("SELECT COUNT(*) FROM audit_event WHERE actor = 'alice'")).isEqualTo(before + 1);
        assertThat(db.queryList("SELECT target FROM audit_event WHERE actor = 'alice' ORDER BY id DESC LIMIT 1"))
                .containsExactly("3 jobs " + r.get(0).jobId() + ".." + r.get(2).jobId());
    }
}
