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
 *   <li>{@value #HANGS}: never returns on its own (sleeps until interrupted);
 *   <li>{@value #IGNORES_INTERRUPT}: never returns at all: swallows every interrupt and sleeps on.
 * </ul>
 */
public final class FaultyHandlers implements HandlerProvider {
    static final String THROWS = "fault-throws";
    static final String HANGS = "fault-hangs";
    static final String IGNORES_INTERRUPT = "fault-ignores-interrupt";

    @Override
    public Map<String, JobHandler> handlers(HandlerContext context) {
        return Map.of(
                THROWS, ctx -> {
                    throw new IllegalStateException("fault-throws refuses attempt " + ctx.attempt());
                },
                HANGS, ctx -> {
                    Thread.sleep(Long.MAX_VALUE);
                    return Outcome.succeeded();
                },
                IGNORES_INTERRUPT, ctx -> {
                    sleepThroughInterrupts();
                    return Outcome.succeeded();
                });
    }

    /** Until the process ends, as a handler stuck in a call that swallows interrupts would. */
    @SuppressWarnings("InfiniteLoopStatement")
    private static void sleepThroughInterrupts() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException swallowed) {
                // and sleeps on
            }
        }
    }
}
