package dev.conveyor.worker;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What a {@link HandlerProvider} may use to build its handlers: the process's queue, database,
 * shared outbound guards and meters.
 */
public record HandlerContext(QueueManager queueManager, Database database, OutboundCalls outbound,
        MeterRegistry meterRegistry) {

    public HandlerContext {
        if (queueManager == null || database == null || outbound == null || meterRegistry == null) {
            throw new IllegalArgumentException("queueManager, database, outbound and meterRegistry are required");
        }
    }
}
