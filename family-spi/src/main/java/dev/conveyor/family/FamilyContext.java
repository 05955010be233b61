package dev.conveyor.family;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What a family's gRPC services may use: the server's queue, database and meters, and the caller
 * of the RPC being served ({@link CallerContext#NONE} where no caller is authenticated).
 */
public record FamilyContext(QueueManager queueManager, Database database, MeterRegistry meterRegistry,
        CallerContext caller) {

    public FamilyContext {
        if (queueManager == null || database == null || meterRegistry == null) {
            throw new IllegalArgumentException("queueManager, database and meterRegistry are required");
        }
        caller = caller == null ? CallerContext.NONE : caller;
    }

    /** Without authenticated callers. */
    public FamilyContext(QueueManager queueManager, Database database, MeterRegistry meterRegistry) {
        this(queueManager, database, meterRegistry, CallerContext.NONE);
    }
}
