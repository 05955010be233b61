package dev.conveyor.server.worker;

import dev.conveyor.proto.v1.SubscribeWakeupsRequest;
import dev.conveyor.proto.v1.Wakeup;
import dev.conveyor.proto.v1.WorkerServiceGrpc;
import dev.conveyor.family.ClientChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes a worker daemon to the wake-ups of one or more queue servers, so a submission through
 * any of them starts an idle pool here at once. A broken stream is re-opened with a capped,
 * growing delay; meanwhile the pools fall back to their idle polling, so nothing is lost, only
 * slower. The channels carry the daemon's TLS and credentials (an operator identity: the server
 * authorises SubscribeWakeups by role).
 */
final class ServerWakeups implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerWakeups.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final String workerId;
    private final List<String> queues;
    private final Consumer<String> onWakeup;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conveyor-wakeup-retry");
        t.setDaemon(true);
        return t;
    });
    private final List<Link> links = new ArrayList<>();
    /** Set by close() on the stopping thread, read by stream callbacks. */
    private volatile boolean closed;

    /** @throws IOException when the credentials' files cannot be read; nothing is left open then */
    ServerWakeups(String workerId, List<String> servers, ClientChannels channels, List<String> queues,
            Consumer<String> onWakeup) throws IOException {
        this.workerId = workerId;
        this.queues = List.copyOf(queues);
        this.onWakeup = onWakeup;
        for (String target : servers) {
            ManagedChannel channel;
            try {
                channel = channels.open(target);
            } catch (IOException e) {
                close();
                throw e;
            }
            Link link = new Link(target, channel);
            links.add(link);
            link.open(FIRST_RETRY);
        }
    }

    private final class Link {
        private final String target;
        private final ManagedChannel channel;
        /** The open stream, replaced on reconnect; touched by gRPC callbacks and close(). */
        private volatile ClientCallStreamObserver<SubscribeWakeupsRequest> call;

        Link(String target, ManagedChannel channel) {
            this.target = target;
            this.channel = channel;
        }

        void open(Duration nextDelay) {
            if (closed) {
                return;
            }
            SubscribeWakeupsRequest request = SubscribeWakeupsRequest.newBuilder()
                    .addAllQueues(queues).setWorkerId(workerId).build();
            WorkerServiceGrpc.newStub(channel).subscribeWakeups(request,
                    new ClientResponseObserver<SubscribeWakeupsRequest, Wakeup>() {
                        private boolean receivedAny;

                        @Override
                        public void beforeStart(ClientCallStreamObserver<SubscribeWakeupsRequest> stream) {
                            call = stream;
                        }

                        @Override
                        public void onNext(Wakeup w) {
                            receivedAny = true;
                            onWakeup.accept(w.getQueue());
                        }

                        @Override
                        public void onError(Throwable t) {
                            if (closed) {
                                return;
                            }
                            Duration delay = receivedAny ? FIRST_RETRY : nextDelay;
                            log.info("wake-ups from {} interrupted ({}); idle polling meanwhile, retrying in {} ms",
                                    target, Status.fromThrowable(t).getCode(), delay.toMillis());
                            retries.schedule(() -> open(min(delay.multipliedBy(2), MAX_RETRY)), delay.toMillis(),
                                    TimeUnit.MILLISECONDS);
                        }

                        @Override
                        public void onCompleted() {
                            onError(Status.UNAVAILABLE.withDescription("server closed the stream").asException());
                        }
                    });
        }

        void close() {
            ClientCallStreamObserver<SubscribeWakeupsRequest> c = call;
            if (c != null) {
                c.cancel("worker stopping", null);
            }
            channel.shutdownNow();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        closed = true;
        links.forEach(Link::close);
        retries.shutdownNow();
    }
}
