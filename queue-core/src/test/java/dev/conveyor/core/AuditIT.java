package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.testing.Jobs;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class AuditIT {

    @Test
    void everyMutatingCallLeavesOneRecordWithItsOutcome(TestDb db) {
        QueueManager queue = new QueueManager(db.open());
        QueueManager alice = queue.as(new Audit("alice", "operator", "SubmitJob", "127.0.0.1:5000"));
        long id = alice.submit(Jobs.noop("audited")).jobId();
        queue.as(new Audit("alice", "operator", "CancelJob", "127.0.0.1:5000")).cancel(id, "test", "alice");
        assertThatThrownBy(() -> queue.as(new Audit("bob", "operator", "CancelJob", null)).cancel(id, null, "bob"))
                .isInstanceOf(IllegalJobStateException.class);
        queue.auditDenied(new Audit("mallory", "submitter", "PauseQueue", "10.9.9.9:1"), "queue audited",
                "needs role operator");
        queue.submit(Jobs.noop("audited"));

        // The other test of this class writes to the same log: read only this test's actors.
        List<AuditRecord> log = queue.auditLog(null, null, 50).stream()
                .filter(r -> List.of("alice", "bob", "mallory").contains(r.actor())).toList();
        assertThat(log).extracting(AuditRecord::actor, AuditRecord::action, AuditRecord::target, AuditRecord::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("mallory", "PauseQueue", "queue audited", Audit.DENIED),
                        org.assertj.core.groups.Tuple.tuple("bob", "CancelJob", "job " + id, Audit.FAILED),
                        org.assertj.core.groups.Tuple.tuple("alice", "CancelJob", "job " + id, Audit.OK),
                        org.assertj.core.groups.Tuple.tuple("alice", "SubmitJob", "job " + id, Audit.OK));
        assertThat(log.get(1).detail()).contains("it is CANCELLED");
        assertThat(queue.auditLog("alice", null, 10)).hasSize(2);
    }

    @Test
    void theAuditRecordCommitsOnlyWithItsChange(TestDb db) {
        QueueManager queue = new QueueManager(db.open());
        queue.submit(Jobs.builder("audited-batch").payload("a".getBytes()).idempotencyKey("k").build());
        long jobs = db.queryLong("SELECT COUNT(*) FROM job");
        QueueManager carol = queue.as(new Audit("carol", "submitter", "SubmitJobs", null));
        assertThatThrownBy(() -> carol.submitAll(List.of(Jobs.noop("audited-batch"),
                Jobs.builder("audited-batch").payload("b".getBytes()).idempotencyKey("k").build())))
                .isInstanceOf(IdempotencyConflictException.class);
        assertThat(db.queryLong("SELECT COUNT(*) FROM job")).isEqualTo(jobs);
        assertThat(db.queryLong("SELECT COUNT(*) FROM audit_event WHERE actor = 'carol' AND outcome = 'OK'")).isZero();
        assertThat(db.queryLong("SELECT COUNT(*) FROM audit_event WHERE actor = 'carol' AND outcome = 'FAILED'"))
                .isEqualTo(1);
    }
}
