package dev.conveyor.server;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.db.Database;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Worker pools that {@code conveyor server} runs in its own process ({@code --workers}, the
 * default on the embedded database), so that one command gives a working system.
 *
 * <p>The implementation belongs with the worker daemon; the server finds it on the class path
 * through {@link ServiceLoader} ({@code META-INF/services/dev.conveyor.server.InProcessWorkers})
 * and runs without workers when there is none.
 */
public interface InProcessWorkers extends AutoCloseable {

    /** Runs nothing: the server without workers. */
    InProcessWorkers NONE = new InProcessWorkers() {
        @Override
        public void start(QueueManager queues, Database database, MeterRegistry registry, List<String> queueNames) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Starts one pool per queue, serving every job type whose handler is on the class path, and
     * returns once they claim.
     */
    void start(QueueManager queues, Database database, MeterRegistry registry, List<String> queueNames);

    /** Stops claiming; running handlers finish within the pools' shutdown timeout, the rest go back. */
    @Override
    void close();

    static Optional<InProcessWorkers> discover() {
        return ServiceLoader.load(InProcessWorkers.class).findFirst();
    }
}
