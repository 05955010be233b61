package dev.conveyor.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.StoreUnavailableException;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection that the server drops in the middle of a transaction (as it does to every client
 * when it shuts down) is reported as {@link StoreUnavailableException}, the error a caller may
 * retry later, and not as an internal error; nothing of the transaction lands, and the pool goes
 * on with a fresh connection.
 */
@ExtendWith(TestDatabase.class)
class ConnectionLossIT {

    @Test
    void aConnectionKilledMidTransactionIsUnavailableAndTheWorkDoesNotLand(TestDb db) throws Exception {
        Transactions tx = new Transactions(db.open().dataSource());
        db.update("CREATE TABLE lost_write (id INT PRIMARY KEY)");

        assertThatThrownBy(() -> tx.inTransaction("write then lose the connection", c -> {
            insert(c, 1);
            killFromOutside(db, connectionId(c));
            insert(c, 2);
            return null;
        })).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("write then lose the connection");

        assertThat(db.queryLong("SELECT COUNT(*) FROM lost_write")).isZero();
        int written = tx.inTransaction("write after the loss", c -> insert(c, 3));
        assertThat(written).isEqualTo(1);
        assertThat(db.queryLong("SELECT COUNT(*) FROM lost_write")).isEqualTo(1);
    }

    private static int insert(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lost_write VALUES (?)")) {
            ps.setInt(1, id);
            return ps.executeUpdate();
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CONNECTION_ID()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void killFromOutside(TestDb db, long connectionId) throws SQLException {
        try (Connection other = db.newConnection(); PreparedStatement ps = other.prepareStatement("KILL " + connectionId)) {
            ps.execute();
        }
    }
}
