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
class PauseAndRetentionIT {

    @Test
    void aPausedQueueAcceptsSubmissionsButGivesNoWork(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        m.pause("paused", "ops", true);
        long id = m.submit(Jobs.noop("paused")).jobId();
        assertThat(m.isPaused("paused")).isTrue();
        assertThat(m.claim(new ClaimRequest("paused", "w", 5, Duration.ofSeconds(30)))).isEmpty();
        assertThat(m.queueStats()).anySatisfy(s -> {
            assertThat(s.queue()).isEqualTo("paused");
            assertThat(s.paused()).isTrue();
            assertThat(s.depth().get(JobState.READY)).isEqualTo(1);
        });
        m.resume("paused");
        assertThat(m.claim(new ClaimRequest("paused", "w", 5, Duration.ofSeconds(30))))
                .extracting(ClaimedJob::id).containsExactly(id);
    }

    @Test
    void retentionDeletesOldFinishedJobsInBatchesAndKeepsTheRest(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        for (int i = 0; i < 25; i++) {
            long id = m.submit(Jobs.builder("old").labels(java.util.Map.of("rack", "r1")).build()).jobId();
            m.cancel(id, null, "test");
        }
        long unfinished = m.submit(Jobs.noop("old")).jobId();
        db.update("UPDATE job SET finished_at = NOW(6) - INTERVAL 40 DAY WHERE finished_at IS NOT NULL");
        long recent = m.submit(Jobs.noop("old")).jobId();
        m.cancel(recent, null, "test");

        assertThat(m.prune(Duration.ofDays(30), 10)).isEqualTo(10);
        assertThat(m.prune(Duration.ofDays(30), 10)).isEqualTo(10);
        assertThat(m.prune(Duration.ofDays(30), 10)).isEqualTo(5);
        assertThat(m.prune(Duration.ofDays(30), 10)).isZero();
        assertThat(db.queryList("SELECT id FROM job ORDER BY id")).containsExactly(unfinished, recent);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_label")).isZero();
        assertThat(db.queryLong("SELECT COUNT(*) FROM job_event WHERE job_id NOT IN (?, ?)", unfinished, recent))
                .isZero();
    }

    @Test
    void listingPagesNewestFirstWithFilters(TestDb db) {
        QueueManager m = new QueueManager(db.open());
        for (int i = 0; i < 7; i++) {
            m.submit(Jobs.builder("pages").labels(java.util.Map.of("rack", i % 2 == 0 ? "r1" : "r2")).build());
        }
        JobPage first = m.list(JobQuery.inQueue("pages").withPage(3, null));
        assertThat(first.jobs()).hasSize(3);
        JobPage second = m.list(JobQuery.inQueue("pages").withPage(3, first.nextBeforeId()));
        JobPage third = m.list(JobQuery.inQueue("pages").withPage(3, second.nextBeforeId()));
        assertThat(third.jobs()).hasSize(1);
        assertThat(third.nextBeforeId()).isNull();
        List<Long> all = new java.util.ArrayList<>();
        for (JobPage p : List.of(first, second, third)) {
            p.jobs().forEach(j -> all.add(j.id()));
        }
        assertThat(all).isSortedAccordingTo(java.util.Comparator.reverseOrder()).doesNotHaveDuplicates().hasSize(7);
        JobQuery byLabel = new JobQuery("pages", null, null, null, null, "rack", "r1", null, 50, null);
        assertThat(m.list(byLabel).jobs()).hasSize(4).allSatisfy(j -> assertThat(j.labels()).containsEntry("rack", "r1"));
    }
}
