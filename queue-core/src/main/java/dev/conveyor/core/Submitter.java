package dev.conveyor.core;

import java.sql.SQLException;

/** Submits jobs inside a transaction that {@link QueueManager#inSubmitTransaction} owns. */
public interface Submitter {
    SubmitResult submit(NewJob job, JobExtension extension) throws SQLException;

    default SubmitResult submit(NewJob job) throws SQLException {
        return submit(job, null);
    }

    /** A unit of submissions that commits together or not at all. */
    @FunctionalInterface
    interface Work<T> {
        T run(Submitter submitter) throws SQLException;
    }
}
