package dev.conveyor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionCookiesTest {
    private final SessionCookies cookies = new SessionCookies();

    @Test
    void aFormTokenIsValidForItsSessionOnly() {
        String token = cookies.csrfToken("session-a");

        assertThat(cookies.validCsrf("session-a", token)).isTrue();
        assertThat(cookies.validCsrf("session-b", token)).isFalse();
        assertThat(cookies.validCsrf("session-a", token + "x")).isFalse();
        assertThat(cookies.validCsrf("session-a", null)).isFalse();
        assertThat(cookies.validCsrf(null, token)).isFalse();
    }

    @Test
    void anotherProcessKeyMakesOtherTokens() {
        assertThat(new SessionCookies().csrfToken("session-a")).isNotEqualTo(cookies.csrfToken("session-a"));
    }

    @Test
    void aTokenCookieThatIsNotBase64IsNoToken() {
        assertThat(SessionCookies.token(Map.of(SessionCookies.TOKEN, "%%%"))).isNull();
        assertThat(SessionCookies.token(Map.of(SessionCookies.TOKEN, ""))).isNull();
        assertThat(SessionCookies.token(Map.of(SessionCookies.TOKEN, "c2VjcmV0"))).isEqualTo("secret");
    }
}
