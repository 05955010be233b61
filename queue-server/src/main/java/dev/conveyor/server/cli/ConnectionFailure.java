package dev.conveyor.server.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * What a client user reads when the server could not be reached: what failed, where, and what to
 * try — instead of the transport's own words ({@code io exception Channel Pipeline: [SslHandler#0 …]}).
 */
final class ConnectionFailure {
    private ConnectionFailure() {
    }

    /** A sentence for an UNAVAILABLE call whose cause says why, or empty when it says nothing more. */
    static Optional<String> describe(StatusRuntimeException e, String server) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
            return Optional.empty();
        }
        String where = server == null ? "the server" : server;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("NotSslRecordException")) {
                return Optional.of("TLS handshake with " + where + " failed: it does not speak TLS on that port; if it "
                        + "runs with --plaintext, call it with --plaintext (or CONVEYOR_PLAINTEXT=true)");
            }
            if (t instanceof CertificateException || t instanceof SSLHandshakeException) {
                return Optional.of("TLS handshake with " + where + " failed: its certificate is not trusted ("
                        + rootMessage(t) + "); pass the CA that signed it with --ca (or CONVEYOR_CA), and check "
                        + "that --server names a host the certificate was made for");
            }
            if (t instanceof SSLException) {
                return Optional.of("TLS with " + where + " failed: " + rootMessage(t));
            }
            if (t instanceof UnknownHostException) {
                return Optional.of("cannot reach " + where + ": unknown host; check --server (or CONVEYOR_SERVER)");
            }
            if (t instanceof ConnectException) {
                return Optional.of("cannot connect to " + where + ": " + rootMessage(t)
                        + "; is the server running, and does --server name its gRPC port?");
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? t.getMessage() : root.getMessage();
        return message == null ? "no detail" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
