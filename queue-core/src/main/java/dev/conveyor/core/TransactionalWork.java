package dev.conveyor.core;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A handler's own writes, run in the transaction that completes its job, after the fenced update
 * matched: either the job completes and these writes commit, or neither happens.
 */
@FunctionalInterface
public interface TransactionalWork {
    void run(Connection connection) throws SQLException;
}
