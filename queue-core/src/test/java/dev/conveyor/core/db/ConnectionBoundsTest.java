package dev.conveyor.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionBoundsTest {

    @Test
    void theDefaultsFreeAVanishedClientsRowsWithinTheDefaultLease() {
        assertThat(ConnectionBounds.DEFAULTS.recoveryBound()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ConnectionBounds.DEFAULTS.outlastedBy(Duration.ofSeconds(15))).isTrue();
        assertThat(ConnectionBounds.DEFAULTS.outlastedBy(Duration.ofSeconds(10))).isFalse();
        assertThatThrownBy(() -> ConnectionBounds.DEFAULTS.requireShorterThan(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("db socket timeout");
    }

    @Test
    void badBoundsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ConnectionBounds.of(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("db socket timeout must be longer than the db lock wait timeout");
        assertThatThrownBy(() -> ConnectionBounds.of(Duration.ofSeconds(3), Duration.ofMillis(1500),
                Duration.ofSeconds(1))).hasMessageContaining("db lock wait timeout must be a whole number of seconds");
        assertThatThrownBy(() -> ConnectionBounds.of(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("db idle transaction timeout");
        assertThatThrownBy(() -> new ConnectionBounds(Duration.ofSeconds(3), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(5)))
                .hasMessageContaining("db keepalive must be at least");
    }

    @Test
    void keepaliveAndLifetimeStayBelowTheServersWaitTimeout() {
        ConnectionBounds fitted = ConnectionBounds.DEFAULTS.within(Duration.ofMinutes(4));
        assertThat(fitted.maxLifetime()).isEqualTo(Duration.ofMinutes(3));
        assertThat(fitted.keepalive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ConnectionBounds.DEFAULTS.within(Duration.ofHours(8))).isEqualTo(ConnectionBounds.DEFAULTS);
        assertThatThrownBy(() -> ConnectionBounds.DEFAULTS.within(Duration.ofSeconds(40)))
                .hasMessageContaining("wait_timeout");
    }

    @Test
    void sessionsAreBoundedPerServerFamily() {
        ServerFamily mariadb = ServerFamily.parse("10.11.6-MariaDB");
        ServerFamily mysql = ServerFamily.parse("8.0.36");
        assertThat(mariadb.sessionBoundsSql(ConnectionBounds.DEFAULTS))
                .isEqualTo("SET SESSION innodb_lock_wait_timeout = 5, net_write_timeout = 5, idle_transaction_timeout = 5");
        assertThat(mysql.sessionBoundsSql(ConnectionBounds.DEFAULTS))
                .isEqualTo("SET SESSION innodb_lock_wait_timeout = 5, net_write_timeout = 5, wait_timeout = 5");
        assertThat(Database.withDriverProperties("jdbc:mysql://h/db?socketTimeout=1", Duration.ofSeconds(10),
                Duration.ofSeconds(3))).contains("socketTimeout=1").doesNotContain("socketTimeout=10000")
                .contains("connectTimeout=3000");
    }
}
