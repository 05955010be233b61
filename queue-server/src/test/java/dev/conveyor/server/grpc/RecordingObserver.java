package dev.conveyor.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/** A stream's server side as gRPC hands it over, recording what is sent; the test sets readiness. */
final class RecordingObserver<T> extends ServerCallStreamObserver<T> {
    final List<T> sent = new ArrayList<>();
    Throwable error;
    boolean completed;
    boolean ready = true;
    Runnable onReady;
    Runnable onCancel;

    void becomeReady() {
        ready = true;
        onReady.run();
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
        onReady = handler;
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {
        onCancel = handler;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void setCompression(String compression) {
    }

    @Override
    public void disableAutoInboundFlowControl() {
    }

    @Override
    public void request(int count) {
    }

    @Override
    public void setMessageCompression(boolean enable) {
    }

    @Override
    public void onNext(T value) {
        if (completed || error != null) {
            throw new IllegalStateException("stream already closed");
        }
        sent.add(value);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    @Override
    public void onCompleted() {
        completed = true;
    }
}
