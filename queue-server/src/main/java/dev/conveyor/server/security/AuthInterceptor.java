package dev.conveyor.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Establishes who is calling, and puts the {@link Caller} in the call's context. A bearer token
 * ({@code authorization: Bearer <token>}) is looked up by its hash in the {@link TokenFile}; with
 * no token, a client certificate verified by mutual TLS names the caller by its subject CN, with
 * the roles the token file gives that name ({@code cert} lines; none when it has no line). No
 * credentials, or a token the file does not know: UNAUTHENTICATED. Health and reflection need
 * none.
 */
public final class AuthInterceptor implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(AuthInterceptor.class);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";

    private final TokenFile tokens;

    public AuthInterceptor(TokenFile tokens) {
        this.tokens = tokens;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (RbacPolicy.isOpen(method)) {
            return next.startCall(call, headers);
        }
        Identity identity;
        try {
            identity = identify(call, headers);
        } catch (IllegalArgumentException e) {
            log.debug("unauthenticated call to {} from {}: {}", method, remote(call), e.getMessage());
            call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Caller caller = new Caller(identity, action(method), remote(call));
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, caller), call, headers, next);
    }

    private <Q, R> Identity identify(ServerCall<Q, R> call, Metadata headers) {
        String authorization = headers.get(AUTHORIZATION);
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                throw new IllegalArgumentException("the authorization header must be 'Bearer <token>'");
            }
            return tokens.byToken(authorization.substring(BEARER.length()).strip())
                    .orElseThrow(() -> new IllegalArgumentException("the bearer token is not known"));
        }
        Optional<String> commonName = clientCommonName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (commonName.isEmpty()) {
            throw new IllegalArgumentException("credentials required: a bearer token or a client certificate");
        }
        return tokens.byCertificate(commonName.get())
                .orElseGet(() -> new Identity(commonName.get(), Set.of(), Identity.Via.CLIENT_CERTIFICATE));
    }

    /** The verified client certificate's subject CN; empty without one. */
    private static Optional<String> clientCommonName(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        try {
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String cn
                        && Identity.NAME.matcher(cn).matches()) {
                    return Optional.of(cn);
                }
            }
        } catch (InvalidNameException e) {
            log.debug("client certificate subject not parsed", e);
        }
        throw new IllegalArgumentException("the client certificate's subject has no CN usable as a name");
    }

    /**
     * Without authentication: every call is {@link Identity#ANONYMOUS}'s, so that what it changes is
     * audited and its jobs and keys have an owner like any other's.
     */
    public static ServerInterceptor anonymous() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                String method = call.getMethodDescriptor().getFullMethodName();
                if (RbacPolicy.isOpen(method)) {
                    return next.startCall(call, headers);
                }
                Caller caller = new Caller(Identity.ANONYMOUS, action(method), remote(call));
                return Contexts.interceptCall(Context.current().withValue(Caller.KEY, caller), call, headers, next);
            }
        };
    }

    /** "conveyor.v1.JobService/CancelJob" → "JobService/CancelJob", as the audit log records it. */
    static String action(String fullMethodName) {
        int slash = fullMethodName.indexOf('/');
        int dot = fullMethodName.lastIndexOf('.', slash);
        return fullMethodName.substring(dot + 1);
    }

    static String remote(ServerCall<?, ?> call) {
        SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return address == null ? null : address.toString();
    }
}
