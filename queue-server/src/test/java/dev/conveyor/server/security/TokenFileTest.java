package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    private static final String ALICE_TOKEN = "alice-secret-token";
    private static final String BOB_TOKEN = "bob-secret-token";

    @TempDir
    Path dir;

    /** A clock the test moves by hand, so reloads happen exactly when the test says. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void tokensAreKnownByTheirHashOnlyAndCertificatesByName() throws Exception {
        Path file = write("tokens", """
                # the provisioning service
                alice   submitter,technician   sha256:%s   # rotated 2026-01
                worker-7   operator   cert
                """.formatted(TokenFile.hash(ALICE_TOKEN)));

        TokenFile tokens = TokenFile.open(file);

        assertThat(tokens.byToken(ALICE_TOKEN)).hasValueSatisfying(i -> {
            assertThat(i.name()).isEqualTo("alice");
            assertThat(i.roles()).containsExactlyInAnyOrder(Role.SUBMITTER, Role.TECHNICIAN);
            assertThat(i.via()).isEqualTo(Identity.Via.BEARER_TOKEN);
            assertThat(i.roleLabels()).isEqualTo("submitter,technician");
        });
        assertThat(tokens.byToken(TokenFile.hash(ALICE_TOKEN))).as("the hash is not a token").isEmpty();
        assertThat(tokens.byToken("")).isEmpty();
        assertThat(tokens.byCertificate("worker-7")).hasValueSatisfying(i -> {
            assertThat(i.roles()).containsExactly(Role.OPERATOR);
            assertThat(i.via()).isEqualTo(Identity.Via.CLIENT_CERTIFICATE);
        });
        assertThat(tokens.byCertificate("alice")).as("a token line gives no certificate identity").isEmpty();
    }

    @Test
    void aNameMayHaveTwoTokensWhileOneIsRotated() throws Exception {
        Path file = write("tokens", "alice submitter sha256:" + TokenFile.hash(ALICE_TOKEN) + "\n"
                + "alice submitter sha256:" + TokenFile.hash(BOB_TOKEN) + "\n");

        TokenFile tokens = TokenFile.open(file);

        assertThat(tokens.byToken(ALICE_TOKEN)).map(Identity::name).hasValue("alice");
        assertThat(tokens.byToken(BOB_TOKEN)).map(Identity::name).hasValue("alice");
    }

    @Test
    void aBadFileIsRefusedAtStartWithTheLineAndNeverTheSecret() throws Exception {
        assertThatThrownBy(() -> TokenFile.open(write("a", "alice submitter " + ALICE_TOKEN + "\n")))
                .hasMessageContaining("line 1").hasMessageContaining("sha256:")
                .hasMessageNotContaining(ALICE_TOKEN);
        assertThatThrownBy(() -> TokenFile.open(write("b", "\n\nalice janitor cert\n")))
                .hasMessageContaining("line 3").hasMessageContaining("unknown role 'janitor'");
        assertThatThrownBy(() -> TokenFile.open(write("c", "alice submitter\n")))
                .hasMessageContaining("expected 'name roles credential'");
        assertThatThrownBy(() -> TokenFile.open(write("d", "al ice submitter cert\n")))
                .hasMessageContaining("found 4 field(s)");
        assertThatThrownBy(() -> TokenFile.open(write("e", "-x submitter cert\n")))
                .hasMessageContaining("identity name");
        String hash = "sha256:" + TokenFile.hash(ALICE_TOKEN);
        assertThatThrownBy(() -> TokenFile.open(write("f", "a submitter " + hash + "\nb admin " + hash + "\n")))
                .hasMessageContaining("line 2").hasMessageContaining("twice");
        assertThatThrownBy(() -> TokenFile.open(dir.resolve("missing"))).isInstanceOf(IOException.class);
    }

    @Test
    void aChangedFileIsReloadedAfterTheCheckIntervalAndABadOneKeepsTheLastGood() throws Exception {
        ManualClock clock = new ManualClock();
        Path file = write("tokens", "alice submitter sha256:" + TokenFile.hash(ALICE_TOKEN) + "\n");
        TokenFile tokens = TokenFile.open(file, Duration.ofSeconds(5), clock);

        rewrite(file, "bob admin sha256:" + TokenFile.hash(BOB_TOKEN) + "\n", 1);
        assertThat(tokens.byToken(BOB_TOKEN)).as("not checked before the interval").isEmpty();
        assertThat(tokens.byToken(ALICE_TOKEN)).isPresent();

        clock.advance(Duration.ofSeconds(5));
        assertThat(tokens.byToken(BOB_TOKEN)).map(Identity::roles).hasValue(Set.of(Role.ADMIN));
        assertThat(tokens.byToken(ALICE_TOKEN)).as("removed lines are gone").isEmpty();

        rewrite(file, "bob admin not-a-hash\n", 2);
        clock.advance(Duration.ofSeconds(5));
        assertThat(tokens.byToken(BOB_TOKEN)).as("the last good file stays in force").isPresent();

        rewrite(file, "bob operator sha256:" + TokenFile.hash(BOB_TOKEN) + "\n", 3);
        clock.advance(Duration.ofSeconds(5));
        assertThat(tokens.byToken(BOB_TOKEN)).map(Identity::roles).hasValue(Set.of(Role.OPERATOR));
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    /** Rewrites with a distinct modification time, as an edit seconds later would have. */
    private static void rewrite(Path file, String content, int generation) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(generation)));
    }
}
