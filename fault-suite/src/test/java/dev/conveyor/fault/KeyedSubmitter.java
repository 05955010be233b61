package dev.conveyor.fault;

import com.google.protobuf.ByteString;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.SubmitJobRequest;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that submits {@code record} jobs, each with its own idempotency key, over gRPC, and
 * writes down what each call came to: the job id, UNAVAILABLE, or anything else (which no fault
 * may cause). With {@code retry}, a key whose call failed with UNAVAILABLE or its deadline is
 * submitted again until it succeeds, which the idempotency key makes safe.
 */
final class KeyedSubmitter implements Runnable {
    /** The failures a client may see while a server or the database is down; retried with the same key. */
    static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.CANCELLED);

    private final Channel channel;
    private final String queue;
    private final String prefix;
    private final int count;
    private final boolean retry;
    private final Duration until;
    final Map<String, Long> accepted = new ConcurrentHashMap<>();
    final Set<String> unavailable = ConcurrentHashMap.newKeySet();
    final List<String> unexpected = new CopyOnWriteArrayList<>();
    final AtomicInteger retries = new AtomicInteger();

    KeyedSubmitter(Channel channel, String queue, String prefix, int count, boolean retry, Duration until) {
        this.channel = channel;
        this.queue = queue;
        this.prefix = prefix;
        this.count = count;
        this.retry = retry;
        this.until = until;
    }

    @Override
    public void run() {
        long deadline = System.nanoTime() + until.toNanos();
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            String key = prefix + "-" + i;
            while (System.nanoTime() < deadline) {
                try {
                    long id = JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .submitJob(SubmitJobRequest.newBuilder().setQueue(queue).setType("record")
                                    .setPayload(ByteString.copyFromUtf8("5")).setIdempotencyKey(key).build())
                            .getJob().getId();
                    accepted.put(key, id);
                    unavailable.remove(key);
                    break;
                } catch (StatusRuntimeException e) {
                    if (!TRANSIENT.contains(e.getStatus().getCode())) {
                        unexpected.add(key + ": " + e.getStatus());
                        break;
                    }
                    unavailable.add(key);
                    if (!retry) {
                        break;
                    }
                    retries.incrementAndGet();
                    pause();
                }
            }
        }
    }

    int attempted() {
        return accepted.size() + unavailable.size() + unexpected.size();
    }

    private static void pause() {
        try {
            Thread.sleep(100); // a client's backoff between retries, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
