package dev.conveyor.core;

/**
 * A queue that holds no job and is not paused: there is nothing of that name to pause or resume.
 * Refusing (rather than recording a pause) keeps a typo from creating a queue nobody serves.
 */
public final class QueueNotFoundException extends ConveyorException {
    private final String queue;

    public QueueNotFoundException(String queue) {
        super("queue " + queue + " not found (it holds no job and is not paused)");
        this.queue = queue;
    }

    public String queue() {
        return queue;
    }
}
