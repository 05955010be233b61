package dev.conveyor.validation.redfish;

import java.util.List;
import java.util.Set;

/**
 * A Redfish {@code Task} as its monitor or its resource reports it (DSP0268 Task schema).
 *
 * @param state    {@code TaskState}: New, Starting, Running, Suspended, Pending, Stopping, Completed,
 *                 Killed, Exception, Cancelled, Interrupted…; Completed when the monitor answered the
 *                 operation's own result (200/204 without a task)
 * @param status   {@code TaskStatus}: OK, Warning, Critical; empty when not reported
 * @param percent  {@code PercentComplete}, -1 when not reported
 * @param messages the {@code Message} of each entry of {@code Messages}
 */
public record TaskProgress(String monitor, String state, String status, int percent, List<String> messages) {
    /** States after which a task changes no more (DSP0268 TaskState). */
    private static final Set<String> ENDED = Set.of("Completed", "Killed", "Exception", "Cancelled");

    public TaskProgress {
        messages = List.copyOf(messages);
    }

    public boolean ended() {
        return ENDED.contains(state);
    }

    /** Completed, and not with a Critical status. */
    public boolean succeeded() {
        return state.equals("Completed") && !status.equalsIgnoreCase("Critical");
    }
}
