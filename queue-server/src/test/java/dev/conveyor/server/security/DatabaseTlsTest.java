package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.db.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatabaseTlsTest {
    @TempDir
    Path dir;

    @Test
    void theSslModeAndTrustStoreBecomeConnectorJPropertiesAndThePasswordIsMaskedInPrintedUrls() throws Exception {
        Path store = Files.write(dir.resolve("ca.p12"), new byte[] {1});
        Path password = Files.writeString(dir.resolve("store-password"), "s3cret-store\n");
        DatabaseTls tls = parse("--db-ssl-mode", "verify_identity", "--db-trust-store", store.toString(),
                "--db-trust-store-password-file", password.toString());

        String url = tls.apply("jdbc:mysql://db.example:3306/conveyor?connectTimeout=5000");

        assertThat(url).startsWith("jdbc:mysql://db.example:3306/conveyor?connectTimeout=5000&sslMode=VERIFY_IDENTITY&")
                .contains("trustCertificateKeyStoreUrl=file%3A").contains("trustCertificateKeyStoreType=PKCS12")
                .contains("trustCertificateKeyStorePassword=s3cret-store");
        assertThat(DatabaseConfig.redact(url)).doesNotContain("s3cret-store");
        assertThat(DatabaseConfig.of(url, "conveyor", null).toString()).doesNotContain("s3cret-store");
    }

    @Test
    void nothingSetLeavesTheUrlAloneAndContradictionsAreRefused() throws Exception {
        assertThat(parse().apply("jdbc:mysql://h/db")).isEqualTo("jdbc:mysql://h/db");
        assertThatThrownBy(() -> parse("--db-ssl-mode", "SOMETIMES").apply("jdbc:mysql://h/db"))
                .hasMessageContaining("--db-ssl-mode must be one of");
        assertThatThrownBy(() -> parse("--db-ssl-mode", "REQUIRED").apply("jdbc:mysql://h/db?sslMode=DISABLED"))
                .hasMessageContaining("already sets sslMode");
        assertThatThrownBy(() -> parse("--db-ssl-mode", "DISABLED", "--db-trust-store", "x.p12").apply("jdbc:mysql://h/db"))
                .hasMessageContaining("makes no sense");
    }

    @Test
    void aClientTokenIsNeverPrinted() {
        ClientSecurity security = new ClientSecurity(true, null, null, null, "very-secret-token");
        assertThat(security.toString()).doesNotContain("very-secret-token").contains("token=***");
        assertThatThrownBy(() -> new ClientSecurity(false, null, Path.of("c.pem"), null, null))
                .hasMessageContaining("needs its key");
        assertThatThrownBy(() -> new ClientSecurity(false, null, null, null, "has blank"))
                .hasMessageContaining("printable ASCII").hasMessageNotContaining("has blank");
    }

    private static DatabaseTls parse(String... args) {
        DatabaseTls tls = new DatabaseTls();
        new CommandLine(tls).parseArgs(args);
        return tls;
    }
}
