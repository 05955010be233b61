package dev.conveyor.server;

import dev.conveyor.core.Outcome;
import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.HandlerProvider;
import dev.conveyor.worker.JobHandler;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two job types of the README's tour, served by any worker built from this module:
 * {@value #NOOP} succeeds at once; {@value #ECHO} logs its payload, records it as a step and returns
 * it as its result (the log line carries the job's {@code trace_id}, as the tour shows).
 */
public final class TourHandlers implements HandlerProvider {
    private static final Logger log = LoggerFactory.getLogger(TourHandlers.class);
    public static final String NOOP = "noop";
    public static final String ECHO = "echo";
    private static final int MAX_ECHOED_CHARS = 1024;

    @Override
    public Map<String, JobHandler> handlers(HandlerContext context) {
        return Map.of(
                NOOP, job -> Outcome.succeeded(),
                ECHO, job -> {
                    String text = new String(job.payload(), StandardCharsets.UTF_8);
                    String shown = text.length() > MAX_ECHOED_CHARS ? text.substring(0, MAX_ECHOED_CHARS) + "…" : text;
                    log.info("echo job {}: {}", job.jobId(), shown);
                    job.event("echo", "OK", null, shown);
                    return Outcome.succeeded(job.payload());
                });
    }
}
