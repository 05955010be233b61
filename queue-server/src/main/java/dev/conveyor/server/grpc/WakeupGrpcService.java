package dev.conveyor.server.grpc;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobRules;
import dev.conveyor.core.QueueManager;
import dev.conveyor.proto.v1.SubscribeWakeupsRequest;
import dev.conveyor.proto.v1.Wakeup;
import dev.conveyor.proto.v1.WorkerServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells idle worker daemons in other processes that a queue has work, the moment a submission
 * through this server commits: the cross-process half of "no blind polling floor".
 *
 * <p>Flow control: a subscriber whose transport is not ready keeps one pending flag per queue and
 * is sent the wake-up when it becomes ready; a burst of submissions never queues more than that.
 * Threads: {@link #signal} runs on submitting threads, {@code onReady} on gRPC's; each
 * subscriber's sends are serialised by its own lock.
 */
final class WakeupGrpcService extends WorkerServiceGrpc.WorkerServiceImplBase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WakeupGrpcService.class);
    static final int MAX_QUEUES = 100;

    private final QueueManager queueManager;
    private final Consumer<String> listener = this::signal;
    /** Subscribers by queue; written by subscribe/cancel on gRPC threads, read by submitting threads. */
    private final Map<String, Set<Subscriber>> byQueue = new ConcurrentHashMap<>();

    WakeupGrpcService(QueueManager queueManager) {
        this.queueManager = queueManager;
        queueManager.addSubmitListener(listener);
    }

    @Override
    public void subscribeWakeups(SubscribeWakeupsRequest request, StreamObserver<Wakeup> responseObserver) {
        List<String> queues = request.getQueuesList();
        try {
            if (queues.isEmpty() || queues.size() > MAX_QUEUES) {
                throw new InvalidRequestException("queues", "give 1 to " + MAX_QUEUES + " queue names");
            }
            queues.forEach(q -> JobRules.requireName("queues", q));
        } catch (InvalidRequestException e) {
            responseObserver.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        var call = (ServerCallStreamObserver<Wakeup>) responseObserver;
        Subscriber s = new Subscriber(call, Set.copyOf(queues));
        call.setOnCancelHandler(() -> unsubscribe(s));
        call.setOnReadyHandler(s::flush);
        for (String q : s.queues) {
            byQueue.computeIfAbsent(q, k -> new CopyOnWriteArraySet<>()).add(s);
        }
        log.debug("worker {} subscribed to wake-ups of {}", request.getWorkerId(), queues);
    }

    void signal(String queue) {
        Set<Subscriber> subs = byQueue.get(queue);
        if (subs != null) {
            subs.forEach(s -> s.wake(queue));
        }
    }

    private void unsubscribe(Subscriber s) {
        for (String q : s.queues) {
            Set<Subscriber> subs = byQueue.get(q);
            if (subs != null) {
                subs.remove(s);
            }
        }
    }

    @Override
    public void close() {
        queueManager.removeSubmitListener(listener);
        byQueue.values().forEach(subs -> subs.forEach(Subscriber::complete));
        byQueue.clear();
    }

    private static final class Subscriber {
        private final ServerCallStreamObserver<Wakeup> call;
        private final Set<String> queues;
        /** Queues with a wake-up not yet sent; guarded by {@code this}. */
        private final Set<String> pending = new java.util.LinkedHashSet<>();
        private boolean closed;

        Subscriber(ServerCallStreamObserver<Wakeup> call, Set<String> queues) {
            this.call = call;
            this.queues = queues;
        }

        synchronized void wake(String queue) {
            pending.add(queue);
            flush();
        }

        synchronized void flush() {
            while (!closed && !pending.isEmpty() && call.isReady() && !call.isCancelled()) {
                String q = pending.iterator().next();
                pending.remove(q);
                try {
                    call.onNext(Wakeup.newBuilder().setQueue(q).build());
                } catch (RuntimeException e) {
                    closed = true;
                }
            }
        }

        synchronized void complete() {
            if (!closed) {
                closed = true;
                try {
                    call.onCompleted();
                } catch (RuntimeException ignored) {
                    // Already cancelled by the client: nothing to tell it.
                }
            }
        }
    }
}
