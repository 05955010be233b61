package dev.conveyor.server.security;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test, with BouncyCastle: it issues a server certificate
 * for localhost/127.0.0.1 and client certificates by CN, written as PEM files (PKCS#8 keys).
 */
final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate and its key, as files. */
    record Issued(Path certificate, Path key) {
    }

    private final Path dir;
    private final KeyPair caKeys;
    private final X500Name caName;
    private final Path caCertificate;

    private TestPki(Path dir, KeyPair caKeys, X500Name caName, Path caCertificate) {
        this.dir = dir;
        this.caKeys = caKeys;
        this.caName = caName;
        this.caCertificate = caCertificate;
    }

    /** A CA named {@code name}, its files in a folder of that name under {@code parent}. */
    static TestPki create(Path parent, String name) throws Exception {
        Path dir = Files.createDirectories(parent.resolve(name));
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        Path ca = dir.resolve(name + "-ca.pem");
        Files.writeString(ca, pem(builder.build(signer(keys))));
        return new TestPki(dir, keys, subject, ca);
    }

    Path caCertificate() {
        return caCertificate;
    }

    Issued server() throws Exception {
        GeneralNames names = new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        return issue("server", names);
    }

    Issued client(String commonName) throws Exception {
        return issue(commonName, null);
    }

    private Issued issue(String commonName, GeneralNames altNames) throws Exception {
        KeyPair keys = keyPair();
        JcaX509v3CertificateBuilder builder = builder(caName, new X500Name("CN=" + commonName), keys);
        if (altNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, altNames);
        }
        Path certificate = dir.resolve(commonName + ".pem");
        Path key = dir.resolve(commonName + ".key");
        Files.writeString(certificate, pem(builder.build(signer(caKeys))));
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Issued(certificate, key);
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static org.bouncycastle.operator.ContentSigner signer(KeyPair keys) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pem(X509CertificateHolder certificate) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        }
        return out.toString();
    }
}
