package dev.conveyor.server.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Runs one unary call's body: refuses it when its deadline has passed, maps any failure once. */
final class Rpc {
    private Rpc() {
    }

    static <T> void unary(StreamObserver<T> response, Supplier<T> body) {
        T value;
        try {
            requireTimeLeft();
            value = body.get();
        } catch (RuntimeException e) {
            response.onError(StatusMapper.toStatus(e));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }

    /** A call whose caller has already given up must not write anything. */
    static void requireTimeLeft() {
        Deadline deadline = Context.current().getDeadline();
        if (deadline != null && deadline.isExpired()) {
            throw Status.DEADLINE_EXCEEDED.withDescription("the call's deadline passed before it started")
                    .asRuntimeException();
        }
    }
}
