package dev.conveyor.core;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A job family's own rows (its subclass table, its child tables), inserted in the transaction
 * that inserts the base job, once the job's id is known. Not run when an idempotent submission
 * matched an existing job.
 */
@FunctionalInterface
public interface JobExtension {
    void insert(Connection connection, long jobId) throws SQLException;
}
