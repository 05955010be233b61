package dev.conveyor.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.InvalidRequestException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PageTokensTest {
    private final PageTokens tokens = PageTokens.withRandomKey();

    @Test
    void aTokenOpensToItsCursorForTheSameFilters() {
        String token = tokens.issue(12345L, "queue=a");

        assertThat(tokens.open(token, "queue=a")).isEqualTo(12345L);
    }

    @Test
    void aTokenUsedWithOtherFiltersIsRefused() {
        String token = tokens.issue(12345L, "queue=a");

        assertRefused(() -> tokens.open(token, "queue=b"));
    }

    @Test
    void anAlteredCursorIsRefused() {
        byte[] raw = Base64.getUrlDecoder().decode(tokens.issue(12345L, "queue=a"));
        raw[8] ^= 1; // the cursor's last byte
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);

        assertRefused(() -> tokens.open(forged, "queue=a"));
    }

    @Test
    void aTokenOfAnotherServerKeyIsRefused() {
        String token = PageTokens.withRandomKey().issue(12345L, "queue=a");

        assertRefused(() -> tokens.open(token, "queue=a"));
    }

    @Test
    void garbageIsRefused() {
        assertRefused(() -> tokens.open("not base64!", "queue=a"));
        assertRefused(() -> tokens.open("AAAA", "queue=a"));
        assertRefused(() -> tokens.open("", "queue=a"));
    }

    @Test
    void aShortKeyIsRejectedAtConstruction() {
        assertThatThrownBy(() -> new PageTokens(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("page_token"));
    }
}
