package dev.conveyor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ConnectionFailureTest {

    @Test
    void anUntrustedCertificateSaysSoWhereAndWhatToTry() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new CertificateException("unable to find valid certification path to requested target"));
        var e = Status.UNAVAILABLE.withDescription("io exception Channel Pipeline: [SslHandler#0]")
                .withCause(new RuntimeException(handshake)).asRuntimeException();
        assertThat(ConnectionFailure.describe(e, "conveyor.example:7070")).hasValueSatisfying(m -> assertThat(m)
                .contains("TLS handshake with conveyor.example:7070 failed", "not trusted",
                        "unable to find valid certification path", "--ca")
                .doesNotContain("Channel Pipeline"));
    }

    @Test
    void aClosedPortAndAnUnknownHostNameTheServer() {
        var refused = Status.UNAVAILABLE.withCause(new ConnectException("Connection refused")).asRuntimeException();
        assertThat(ConnectionFailure.describe(refused, "127.0.0.1:1")).hasValueSatisfying(m -> assertThat(m)
                .contains("cannot connect to 127.0.0.1:1", "Connection refused", "--server"));
        var unknown = Status.UNAVAILABLE.withCause(new UnknownHostException("nohost")).asRuntimeException();
        assertThat(ConnectionFailure.describe(unknown, "nohost:7070")).hasValueSatisfying(m -> assertThat(m)
                .contains("nohost:7070", "unknown host"));
    }

    @Test
    void otherStatusesAndCauselessFailuresKeepTheServersWords() {
        assertThat(ConnectionFailure.describe(Status.NOT_FOUND.withCause(new ConnectException("x"))
                .asRuntimeException(), "s:1")).isEmpty();
        assertThat(ConnectionFailure.describe(Status.UNAVAILABLE.withDescription("database down")
                .asRuntimeException(), "s:1")).isEmpty();
    }
}
