package dev.conveyor.server.grpc;

import dev.conveyor.core.db.DatabaseHealth;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;

/**
 * Fails a call at once with UNAVAILABLE while the database is known to be down (the embedded
 * database restarting), instead of letting it wait for a connection until the client's deadline:
 * a client then retries on UNAVAILABLE, which it would not do on DEADLINE_EXCEEDED. The health and
 * reflection services answer on their own.
 */
public final class DatabaseAvailabilityInterceptor implements ServerInterceptor {
    private static final Set<String> EXEMPT = Set.of("grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

    private final DatabaseHealth health;

    public DatabaseAvailabilityInterceptor(DatabaseHealth health) {
        this.health = health;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (health.available() || EXEMPT.contains(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAVAILABLE.withDescription("the database is unavailable (" + health.describe()
                + "); retry shortly"), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
