package dev.conveyor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NewJobTest {

    private static void refused(NewJob.Builder b, String field, String rule) {
        assertThatThrownBy(b::build).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.rule()).contains(rule);
        });
    }

    @Test
    void namesFollowTheirPattern() {
        refused(NewJob.builder("Upper", "t"), "queue", "[a-z0-9]");
        refused(NewJob.builder("", "t"), "queue", "required");
        refused(NewJob.builder("q", "x".repeat(65)), "type", "{0,63}");
        refused(NewJob.builder("q;drop", "t"), "queue", "must match");
        assertThat(NewJob.builder("a.b-c_d9", "t").build().queue()).isEqualTo("a.b-c_d9");
    }

    @Test
    void numbersStayInRange() {
        refused(NewJob.builder("q", "t").priority(1001), "priority", "[-1000, 1000]");
        refused(NewJob.builder("q", "t").maxAttempts(0), "max_attempts", "[1, 100]");
        refused(NewJob.builder("q", "t").delay(Duration.ofDays(400)), "delay", "366 days");
        refused(NewJob.builder("q", "t").runAt(Instant.now().plus(Duration.ofDays(400))), "run_at", "days ahead");
        refused(NewJob.builder("q", "t").dependsOn(List.of(1L, 1L)), "depends_on", "repeat");
        refused(NewJob.builder("q", "t").concurrency("k", 0), "concurrency_limit", "[1, 10000]");
    }

    @Test
    void textsAreCleanAndBounded() {
        refused(NewJob.builder("q", "t").idempotencyKey("a\u0000b"), "idempotency_key", "printable ASCII");
        refused(NewJob.builder("q", "t").labels(Map.of("Bad Key", "v")), "labels", "must match");
        refused(NewJob.builder("q", "t").labels(Map.of("k", "line\nbreak")), "labels", "control or format characters");
        // Issue 12: a bidirectional override makes text read backwards, a line separator forges a line.
        for (String sneaky : new String[] {"evil\u202Etxt.exe", "iso\u2066late", "zero\u200Bwidth", "line\u2028sep",
                "para\u2029sep", "c1\u0085ctl"}) {
            refused(NewJob.builder("q", "t").labels(Map.of("k", sneaky)), "labels", "Cf");
            refused(NewJob.builder("q", "t").createdBy(sneaky), "created_by", "bidirectional overrides");
        }
        assertThat(NewJob.builder("q", "t").labels(Map.of("k", "Zürich 日本 😀")).build().labels()).containsKey("k");
        refused(NewJob.builder("q", "t").traceParent("nonsense"), "traceparent", "W3C");
    }

    @Test
    void theRequestDigestIgnoresWhoAndTraceButNotWhat() {
        NewJob a = NewJob.builder("q", "t").payload("x".getBytes()).createdBy("alice").build();
        NewJob b = NewJob.builder("q", "t").payload("x".getBytes()).createdBy("bob")
                .traceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build();
        NewJob c = NewJob.builder("q", "t").payload("y".getBytes()).build();
        assertThat(a.requestHash()).isEqualTo(b.requestHash());
        assertThat(a.requestHash()).isNotEqualTo(c.requestHash());
    }
}
