package dev.conveyor.family;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import io.micrometer.core.instrument.MeterRegistry;

/** What a family's gRPC services may use: the server's queue, database and meters. */
public record FamilyContext(QueueManager queueManager, Database database, MeterRegistry meterRegistry) {

    public FamilyContext {
        if (queueManager == null || database == null || meterRegistry == null) {
            throw new IllegalArgumentException("queueManager, database and meterRegistry are required");
        }
    }
}
