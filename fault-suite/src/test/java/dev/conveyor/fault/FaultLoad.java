package dev.conveyor.fault;

import com.google.protobuf.ByteString;
import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.JobState;
import dev.conveyor.proto.v1.RetryJobRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobResponse;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A gRPC client of the suite's queue server: submits {@value FaultyHandlers#LEDGERED} jobs with
 * idempotency keys (a call that fails with UNAVAILABLE or its deadline is sent again with the same
 * keys, which the keys make safe), and cancels, retries and reads jobs.
 */
final class FaultLoad {
    /** Enough attempts that no fault of a run spends them all: a job that ends DEAD counts as lost. */
    static final int MAX_ATTEMPTS = 25;
    private static final Duration GIVE_UP = Duration.ofSeconds(180);

    private final Channel channel;
    private final String queue;

    FaultLoad(Channel channel, String queue) {
        this.channel = channel;
        this.queue = queue;
    }

    static String payload(long millis) {
        return String.valueOf(millis);
    }

    /** A job of the ledgered type with {@code payload}, keyed {@code key}. */
    SubmitJobRequest.Builder job(String key, String payload) {
        return SubmitJobRequest.newBuilder().setQueue(queue).setType(FaultyHandlers.LEDGERED)
                .setPayload(ByteString.copyFrom(payload, StandardCharsets.UTF_8)).setIdempotencyKey(key)
                .setMaxAttempts(MAX_ATTEMPTS);
    }

    /** {@code n} jobs keyed {@code prefix-i}, payload {@code payload(i)}; their ids in order. */
    List<Long> submit(String prefix, int n, IntFunction<String> payload) {
        List<Long> ids = new ArrayList<>(n);
        for (int from = 0; from < n; from += 100) {
            SubmitJobsRequest.Builder batch = SubmitJobsRequest.newBuilder();
            for (int i = from; i < Math.min(n, from + 100); i++) {
                batch.addJobs(job(prefix + "-" + i, payload.apply(i)));
            }
            SubmitJobsRequest request = batch.build();
            for (SubmitJobResponse r : call("submit " + prefix, () -> stub().submitJobs(request)).getResultsList()) {
                ids.add(r.getJob().getId());
            }
        }
        return ids;
    }

    long submit(SubmitJobRequest request) {
        return call("submit " + request.getIdempotencyKey(), () -> stub().submitJob(request)).getJob().getId();
    }

    Job get(long id) {
        return call("get " + id, () -> stub().getJob(GetJobRequest.newBuilder().setId(id).build()));
    }

    JobState state(long id) {
        return get(id).getState();
    }

    /** The state after the call; a job that already ended answers FAILED_PRECONDITION, returned as its state. */
    JobState cancel(long id, String reason) {
        try {
            return stub().cancelJob(CancelJobRequest.newBuilder().setId(id).setReason(reason).build()).getState();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.FAILED_PRECONDITION) {
                return state(id);
            }
            throw e;
        }
    }

    JobState retry(long id) {
        return stub().retryJob(RetryJobRequest.newBuilder().setId(id).build()).getState();
    }

    private JobServiceGrpc.JobServiceBlockingStub stub() {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    /** Calls until it succeeds or fails other than transiently; transient failures for {@link #GIVE_UP} at most. */
    private static <T> T call(String what, Supplier<T> call) {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (!KeyedSubmitter.TRANSIENT.contains(e.getStatus().getCode()) || System.nanoTime() > deadline) {
                    throw new AssertionError(what + " failed: " + e.getStatus(), e);
                }
                try {
                    Thread.sleep(200); // a client's backoff between retries of one call
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted: " + what, ie);
                }
            }
        }
    }
}
