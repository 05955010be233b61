package dev.conveyor.device;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;

/**
 * How device clients (eAPI, Redfish) describe an HTTPS request that got no response, and whether
 * that failure is permanent.
 */
public final class TransportFailure {
    private TransportFailure() {}

    /** A short reason for an event log: "connection refused", "timed out: …", or the exception. */
    public static String describe(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "timed out: " + e.getMessage();
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Whether the device's certificate was rejected. That is permanent, unlike a handshake a flaky
     * link cut short: the same certificate will be rejected on every retry.
     */
    public static boolean untrustedCertificate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * What was wrong with a rejected certificate, for the device's event and the job's reason:
     * a certificate that does not name the host that was dialled (the JDK's host name check) is
     * told apart from one no trusted certificate vouches for, since the technician fixes them
     * differently (the address in the manifest, or the pinned certificates).
     */
    public static String certificateProblem(IOException e, String host) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException && t.getMessage() != null
                    && (t.getMessage().startsWith("No subject alternative") || t.getMessage().startsWith("No name matching"))) {
                return "certificate does not match the host name " + host + ": " + t.getMessage();
            }
        }
        return "certificate not trusted: " + describe(e);
    }
}
