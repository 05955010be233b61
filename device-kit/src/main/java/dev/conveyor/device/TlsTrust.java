package dev.conveyor.device;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which server certificates a device client accepts.
 *
 * <p>BMCs and switches usually present self-signed certificates. The safe answer is to pin them:
 * {@link #pinned} trusts exactly the given certificates (a site CA, or the device's own self-signed
 * certificate) and still checks that the certificate names the host that was dialled. The JVM's
 * default trust store ({@link #systemDefault}) suits devices with certificates from a public or
 * corporate CA already installed there. {@link #insecureSkipVerify} accepts any certificate for any
 * host: it is off unless asked for by name, and exists for labs where a man in the middle is not a
 * concern; traffic is still encrypted but no longer authenticated.
 */
public final class TlsTrust {
    private final List<X509Certificate> pinnedCertificates;
    private final boolean skipVerify;

    private TlsTrust(List<X509Certificate> pinnedCertificates, boolean skipVerify) {
        this.pinnedCertificates = List.copyOf(pinnedCertificates);
        this.skipVerify = skipVerify;
    }

    public static TlsTrust systemDefault() {
        return new TlsTrust(List.of(), false);
    }

    public static TlsTrust pinned(X509Certificate... certificates) {
        if (certificates.length == 0) {
            throw new IllegalArgumentException("pinning needs at least one certificate");
        }
        return new TlsTrust(List.of(certificates), false);
    }

    /** Pins every certificate in a PEM (or DER) file, for example a site CA bundle. */
    public static TlsTrust pinnedFromFile(Path certificateFile) throws IOException {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            return pinned(certificates.toArray(X509Certificate[]::new));
        } catch (CertificateException e) {
            throw new IOException("not an X.509 certificate file: " + certificateFile, e);
        }
    }

    /** Accept any certificate for any host. Documented as unsafe; see the class comment. */
    public static TlsTrust insecureSkipVerify() {
        return new TlsTrust(List.of(), true);
    }

    public List<X509Certificate> pinnedCertificates() {
        return pinnedCertificates;
    }

    public boolean skipsVerification() {
        return skipVerify;
    }

    /** A fresh TLS context that applies this policy. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    private TrustManager[] trustManagers() throws GeneralSecurityException {
        if (skipVerify) {
            return new TrustManager[] {new AcceptAnyCertificate()};
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (pinnedCertificates.isEmpty()) {
            factory.init((KeyStore) null);
        } else {
            factory.init(keyStoreOf(pinnedCertificates));
        }
        return factory.getTrustManagers();
    }

    private static KeyStore keyStoreOf(List<X509Certificate> certificates) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create an empty key store", e);
        }
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("pinned-" + i, Objects.requireNonNull(certificates.get(i)));
        }
        return store;
    }

    @Override
    public String toString() {
        if (skipVerify) {
            return "TlsTrust[insecureSkipVerify]";
        }
        return pinnedCertificates.isEmpty()
                ? "TlsTrust[systemDefault]"
                : "TlsTrust[pinned=" + pinnedCertificates.size() + "]";
    }

    /**
     * Extends {@link X509ExtendedTrustManager} rather than the plain interface: the JDK then leaves
     * hostname identification to this manager, which skips it, as insecureSkipVerify promises.
     */
    private static final class AcceptAnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
