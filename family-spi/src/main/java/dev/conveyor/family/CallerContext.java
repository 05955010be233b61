package dev.conveyor.family;

import dev.conveyor.core.QueueManager;

/**
 * The caller of the RPC being served, as a family's gRPC services see it: a service that changes
 * the queue does so as its caller, like the core services, so that the change carries an audit
 * record in its own transaction and the jobs it submits record who asked ({@code created_by}).
 * Both methods read the current call's context: call them on the thread serving the RPC.
 */
public interface CallerContext {
    /** For servers (and tests) that authenticate no caller: the queue itself, no name. */
    CallerContext NONE = new CallerContext() {
        @Override
        public QueueManager queue(QueueManager queues) {
            return queues;
        }

        @Override
        public String name() {
            return null;
        }
    };

    /** {@code queues} as the current caller; {@code queues} itself without authentication. */
    QueueManager queue(QueueManager queues);

    /** The current caller's name, for {@code created_by}; null without authentication. */
    String name();
}
