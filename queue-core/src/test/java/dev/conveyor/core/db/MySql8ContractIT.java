package dev.conveyor.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The schema and its validation on real MySQL 8.4, which CI here (MariaDB, no Docker) cannot
 * run: skipped without Docker, run by anyone who has it.
 */
@Testcontainers(disabledWithoutDocker = true)
class MySql8ContractIT {
    @Container
    private static final MySQLContainer MYSQL = new MySQLContainer("mysql:8.4");

    @Test
    void migratesAndValidatesTheSchemaOnMySql8() {
        try (Database database = Database.open(
                DatabaseConfig.of(MYSQL.getJdbcUrl(), MYSQL.getUsername(), MYSQL.getPassword()))) {
            assertThat(database.family().kind()).isEqualTo(ServerFamily.Kind.MYSQL);
            assertThat(database.family().major()).isEqualTo(8);
            assertThat(database.isReachable()).isTrue();
        }
    }
}
