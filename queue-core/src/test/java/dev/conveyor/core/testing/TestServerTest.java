package dev.conveyor.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestServerTest {
    @Test
    void takesUserAndPasswordOutOfTheUrlAndKeepsTheOtherParameters() {
        TestServer server = TestServer.fromUrl(
                "jdbc:mysql://db.example:3307/test?user=ci&sslMode=DISABLED&password=s3cret", "ci");

        assertThat(server.user()).isEqualTo("ci");
        assertThat(server.password()).isEqualTo("s3cret");
        assertThat(server.urlFor("cv_0badf00d")).isEqualTo("jdbc:mysql://db.example:3307/cv_0badf00d?sslMode=DISABLED");
    }

    @Test
    void acceptsAUrlWithoutDatabaseOrParameters() {
        TestServer server = TestServer.fromUrl("jdbc:mysql://127.0.0.1:3306", "local");

        assertThat(server.user()).isNull();
        assertThat(server.password()).isNull();
        assertThat(server.urlFor("cv_1")).isEqualTo("jdbc:mysql://127.0.0.1:3306/cv_1");
    }

    @Test
    void refusesAnythingButAMySqlUrlWithoutShowingItsPassword() {
        assertThatThrownBy(() -> TestServer.fromUrl("jdbc:postgresql://h/db?password=s3cret", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TestServer.URL_VARIABLE)
                .hasMessageNotContaining("s3cret");
    }
}
