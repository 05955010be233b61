package dev.conveyor.server;

import dev.conveyor.core.Outcome;
import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.HandlerProvider;
import dev.conveyor.worker.JobHandler;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The two job types of the README's tour, served by any worker built from this module:
 * {@value #NOOP} succeeds at once; {@value #ECHO} records its payload as a step and returns it as
 * its result.
 */
public final class TourHandlers implements HandlerProvider {
    public static final String NOOP = "noop";
    public static final String ECHO = "echo";
    private static final int MAX_ECHOED_CHARS = 1024;

    @Override
    public Map<String, JobHandler> handlers(HandlerContext context) {
        return Map.of(
                NOOP, job -> Outcome.succeeded(),
                ECHO, job -> {
                    String text = new String(job.payload(), StandardCharsets.UTF_8);
                    job.event("echo", "OK", null, text.length() > MAX_ECHOED_CHARS
                            ? text.substring(0, MAX_ECHOED_CHARS) + "…" : text);
                    return Outcome.succeeded(job.payload());
                });
    }
}
