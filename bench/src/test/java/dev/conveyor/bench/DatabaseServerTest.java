package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseServerTest {

    @Test
    void splitsTheLoginFromTheUrlAndDropsTheDatabase() {
        DatabaseServer server = DatabaseServer.parse(
                "jdbc:mysql://db.example:3307/test?user=bench&password=s3cret&sslMode=REQUIRED", null);

        assertThat(server.user()).isEqualTo("bench");
        assertThat(server.password()).isEqualTo("s3cret");
        assertThat(server.port()).isEqualTo(3307);
        assertThat(server.urlFor("bench_1_w1")).isEqualTo("jdbc:mysql://db.example:3307/bench_1_w1?sslMode=REQUIRED");
        assertThat(server.toString()).doesNotContain("s3cret");
    }

    @Test
    void takesThePasswordFromTheEnvironmentWhenTheUrlHasNone() {
        DatabaseServer server = DatabaseServer.parse("jdbc:mysql://127.0.0.1/test?user=root", "from-env");

        assertThat(server.password()).isEqualTo("from-env");
        assertThat(server.port()).isEqualTo(3306);
        assertThat(server.urlFor("x")).isEqualTo("jdbc:mysql://127.0.0.1/x");
    }

    @Test
    void refusesOtherDrivers() {
        assertThatThrownBy(() -> DatabaseServer.parse("jdbc:postgresql://h/db", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql://");
    }
}
