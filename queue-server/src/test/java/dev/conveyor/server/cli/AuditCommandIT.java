package dev.conveyor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.Audit;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.server.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code conveyor audit} against a running server: the table, the actor filter, JSON and paging. */
@ExtendWith(TestDatabase.class)
class AuditCommandIT {
    @Test
    void listsTheAuditLogNewestFirstAsATableAndAsJson(TestDb db) {
        try (RunningServer server = RunningServer.start(db.open())) {
            server.queues().as(new Audit("alice", "operator", "QueueAdminService/PauseQueue", "10.1.2.3:5000"))
                    .pause("audited", "alice", true);
            server.queues().as(new Audit("bob", "admin", "QueueAdminService/ResumeQueue", "10.1.2.4:5000"))
                    .resume("audited");

            CliRun table = CliRun.of("audit", "--server", server.target(), "--plaintext");
            assertThat(table.exitCode()).as(table.err()).isZero();
            assertThat(table.out().lines().toList()).hasSize(3).first().asString()
                    .contains("ID", "ACTOR", "ACTION", "TARGET", "OUTCOME", "REMOTE");
            assertThat(table.out().lines().skip(1).toList()).satisfiesExactly(
                    line -> assertThat(line).contains("bob", "admin", "QueueAdminService/ResumeQueue", "queue audited",
                            "OK", "10.1.2.4:5000"),
                    line -> assertThat(line).contains("alice", "operator", "QueueAdminService/PauseQueue", "OK"));

            CliRun alice = CliRun.of("audit", "--actor", "alice", "-o", "json", "--server", server.target(), "--plaintext");
            assertThat(alice.exitCode()).isZero();
            assertThat(alice.out()).contains("\"actor\": \"alice\"").doesNotContain("\"bob\"");

            CliRun paged = CliRun.of("audit", "--page-size", "1", "--server", server.target(), "--plaintext");
            assertThat(paged.out()).contains("bob").doesNotContain("alice").contains("more: --page-token ");

            CliRun bad = CliRun.of("audit", "--actor", "not a name", "--server", server.target(), "--plaintext");
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.err()).contains("INVALID_ARGUMENT").contains("actor");
        }
    }
}
