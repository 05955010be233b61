package dev.conveyor.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExchangeTest {
    private static final URI URL = URI.create("https://10.0.0.5/redfish/v1/Systems/sys-a");

    @Test
    void summarisesARequestAndItsStatus() {
        assertThat(Exchange.responded("GET", URL, "", 200, Duration.ofMillis(12)).summary())
                .isEqualTo("GET https://10.0.0.5/redfish/v1/Systems/sys-a → 200");
        assertThat(Exchange.responded("POST", URI.create("https://sw/command-api"), "show version", 200, Duration.ZERO).summary())
                .isEqualTo("POST https://sw/command-api (show version) → 200");
    }

    @Test
    void summarisesARequestThatGotNoResponse() {
        Exchange exchange = Exchange.failed("GET", URL, "", "connection refused", Duration.ZERO);

        assertThat(exchange.responded()).isFalse();
        assertThat(exchange.summary()).isEqualTo("GET https://10.0.0.5/redfish/v1/Systems/sys-a → connection refused");
    }

    @Test
    void hasEitherAStatusOrAFailure() {
        assertThatThrownBy(() -> new Exchange("GET", URL, "", 200, "refused", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Exchange("GET", URL, "", Exchange.NO_RESPONSE, "", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialsNeverPrintTheirPassword() {
        Credentials credentials = new Credentials("admin", "s3cret");

        assertThat(credentials.toString()).doesNotContain("s3cret").contains("admin");
        assertThat(credentials.basicAuthorization()).isEqualTo("Basic YWRtaW46czNjcmV0");
    }
}
