package dev.conveyor.server.security;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The server's TLS: a PEM certificate chain and its PKCS#8 private key, and, for mutual TLS, the
 * PEM certificates of the authorities that sign client certificates. With a client CA every
 * client must present a certificate it signed: the handshake fails otherwise. The same files
 * serve the gRPC port and the HTTP port.
 *
 * @param certificateChain PEM, the server's certificate first
 * @param privateKey       PEM, unencrypted PKCS#8 (the file's permissions protect it)
 * @param clientCa         PEM; null for TLS without client certificates
 */
public record TlsOptions(Path certificateChain, Path privateKey, Path clientCa) {
    public TlsOptions {
        if (certificateChain == null || privateKey == null) {
            throw new IllegalArgumentException("TLS needs a certificate file and a private key file");
        }
    }

    public boolean mutual() {
        return clientCa != null;
    }

    /** For the gRPC server builder ({@code NettyServerBuilder.forAddress(address, credentials)}). */
    public ServerCredentials grpcCredentials() throws IOException {
        TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
                .keyManager(Pem.keyManagers(certificateChain, privateKey));
        if (mutual()) {
            builder.trustManager(Pem.trustManagers(clientCa)).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return builder.build();
    }

    /** For the JDK's {@code HttpsServer}; requires client certificates when mutual. */
    public HttpsConfigurator httpsConfigurator() throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(Pem.keyManagers(certificateChain, privateKey),
                    mutual() ? Pem.trustManagers(clientCa) : null, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for the HTTP port: " + e.getMessage(), e);
        }
        boolean needClientAuth = mutual();
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(parameters);
            }
        };
    }
}
