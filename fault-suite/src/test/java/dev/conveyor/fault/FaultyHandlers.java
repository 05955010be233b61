package dev.conveyor.fault;

import dev.conveyor.core.Outcome;
import dev.conveyor.fault.ExecutionLog.Step;
import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.HandlerProvider;
import dev.conveyor.worker.JobContext;
import dev.conveyor.worker.JobHandler;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Handlers that misbehave, for the fault suite only (registered through this test class path's
 * {@code META-INF/services}, so the daemons the suite launches serve them; production has none):
 * <ul>
 *   <li>{@value #THROWS}: throws on every attempt;
 *   <li>{@value #HANGS}: never returns on its own (sleeps until interrupted);
 *   <li>{@value #IGNORES_INTERRUPT}: never returns at all: swallows every interrupt and sleeps on;
 *   <li>{@value #LEDGERED}: works for the payload's milliseconds in steps of {@value #TICK_MILLIS} ms,
 *       writing each step to the process's {@link ExecutionLog} (as a device would see each command),
 *       checks before each step whether it was asked to stop, and succeeds with a row in
 *       {@value CompletionTable#NAME} written in the completing transaction. A payload
 *       {@code <millis>;fail-first} fails its first attempt after its work instead.
 * </ul>
 */
public final class FaultyHandlers implements HandlerProvider {
    static final String THROWS = "fault-throws";
    static final String HANGS = "fault-hangs";
    static final String IGNORES_INTERRUPT = "fault-ignores-interrupt";
    static final String LEDGERED = "fault-ledgered";
    static final int TICK_MILLIS = 100;
    static final String FAIL_FIRST = ";fail-first";

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
                },
                LEDGERED, FaultyHandlers::ledgered);
    }

    private static Outcome ledgered(JobContext ctx) throws InterruptedException {
        String payload = ctx.payload() == null ? "0" : new String(ctx.payload(), StandardCharsets.UTF_8);
        boolean failFirst = payload.endsWith(FAIL_FIRST);
        long millis = Long.parseLong(failFirst ? payload.substring(0, payload.length() - FAIL_FIRST.length()) : payload);
        ExecutionLog log = ExecutionLog.get();
        log.append(Step.START, ctx);
        long end = System.nanoTime() + millis * 1_000_000;
        try {
            for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                Thread.sleep(Math.min(TICK_MILLIS, Math.max(1, left / 1_000_000)));
                if (ctx.isCancelled()) {
                    // A careful handler checks before each command it sends; the pool interrupts it too.
                    throw new InterruptedException("asked to stop");
                }
                log.append(Step.TICK, ctx);
            }
        } catch (InterruptedException e) {
            log.append(Step.STOPPED, ctx);
            throw e;
        }
        if (ctx.isCancelled()) {
            // The last command is a command too: checked like every other (the loop may have ended
            // during a pause of the whole process, with the lease gone meanwhile).
            log.append(Step.STOPPED, ctx);
            throw new InterruptedException("asked to stop");
        }
        if (failFirst && ctx.attempt() == 1) {
            log.append(Step.FAILED, ctx);
            throw new IllegalStateException("fault-ledgered fails its first attempt, as asked");
        }
        log.append(Step.DONE, ctx);
        return Outcome.succeeded(null, connection -> CompletionTable.insert(connection, ctx));
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
