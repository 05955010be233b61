package dev.conveyor.fault;

import dev.conveyor.core.Outcome;
import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.HandlerProvider;
import dev.conveyor.worker.JobHandler;
import java.util.Map;

/**
 * Handlers that misbehave, for the fault suite only (registered through this test class path's
 * {@code META-INF/services}, so the daemons the suite launches serve them; production has none):
 * <ul>
 *   <li>{@value #THROWS}: throws on every attempt;
 *   <li>{@value #HANGS}: never returns on its own (sleeps until interrupted).
 * </ul>
 */
public final class FaultyHandlers implements HandlerProvider {
    static final String THROWS = "fault-throws";
    static final String HANGS = "fault-hangs";

    @Override
    public Map<String, JobHandler> handlers(HandlerContext context) {
        return Map.of(
                THROWS, ctx -> {
                    throw new IllegalStateException("fault-throws refuses attempt " + ctx.attempt());
                },
                HANGS, ctx -> {
                    Thread.sleep(Long.MAX_VALUE);
                    return Outcome.succeeded();
                });
    }
}
