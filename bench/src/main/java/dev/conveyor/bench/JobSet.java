package dev.conveyor.bench;

/**
 * The jobs one measurement is about: those of a queue and type created after a warm-up, whose
 * jobs (ids up to {@code afterId}) are neither timed nor counted.
 */
record JobSet(String queue, String type, long afterId) {

    JobSet {
        if (queue == null || type == null || afterId < 0) {
            throw new IllegalArgumentException("a job set needs a queue, a type and a non-negative id");
        }
    }

    /** The SQL condition on table alias {@code j}; bind {@link #queue}, {@link #type}, {@link #afterId}. */
    static final String WHERE = "j.queue = ? AND j.type = ? AND j.id > ?";
}
