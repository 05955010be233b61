package dev.conveyor.server.cli;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.conveyor.proto.v1.JobEvent;
import dev.conveyor.proto.v1.JobState;
import java.time.Instant;

/** How values look in the CLI's tables. */
final class Cells {
    private Cells() {
    }

    /** ISO-8601 UTC to the millisecond; empty when unset. */
    static String time(boolean set, Timestamp t) {
        return set ? Instant.ofEpochSecond(t.getSeconds(), t.getNanos() / 1_000_000 * 1_000_000L).toString() : "";
    }

    static String state(JobState state) {
        return state == JobState.JOB_STATE_UNSPECIFIED ? "" : state.name().substring("JOB_STATE_".length());
    }

    static String seconds(Duration d) {
        return String.format("%.1fs", d.getSeconds() + d.getNanos() / 1e9);
    }

    /** What an event says, in one cell: the new state, or the step and its status. */
    static String what(JobEvent e) {
        return e.getKind() == JobEvent.Kind.KIND_STATE ? "-> " + state(e.getState())
                : e.getStep() + (e.getStatusCode().isEmpty() ? "" : " [" + e.getStatusCode() + "]");
    }
}
