package dev.conveyor.server.security;

import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.QueueManager;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.ListJobEventsRequest;
import dev.conveyor.proto.v1.ListJobsResponse;
import dev.conveyor.proto.v1.WatchJobRequest;
import dev.conveyor.server.grpc.StatusMapper;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps a caller whose only reading role is submitter to the jobs it submitted (those whose
 * {@code created_by} is its name): reading one job of someone else's is NOT_FOUND, answered in the
 * very words of a job that does not exist, so that a submitter cannot learn whether another
 * identity's job exists (PERMISSION_DENIED would tell it); and
 * ListJobs pages leave out the jobs of others (a page may then hold fewer jobs than asked, even
 * none, and still have a next page token). Runs inside the {@link RbacInterceptor}.
 */
public final class OwnJobsInterceptor implements ServerInterceptor {
    private static final Set<String> ONE_JOB = Set.of(JobServiceGrpc.getGetJobMethod().getFullMethodName(),
            JobServiceGrpc.getWatchJobMethod().getFullMethodName(),
            JobServiceGrpc.getListJobEventsMethod().getFullMethodName());
    private static final String LIST = JobServiceGrpc.getListJobsMethod().getFullMethodName();

    private final QueueManager queues;

    public OwnJobsInterceptor(QueueManager queues) {
        this.queues = queues;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Caller caller = Caller.current();
        if (caller == null || caller.readsEveryJob()) {
            return next.startCall(call, headers);
        }
        String method = call.getMethodDescriptor().getFullMethodName();
        String name = caller.identity().name();
        if (ONE_JOB.contains(method)) {
            return new MessageGate<>(next.startCall(call, headers), call, message -> refusal(name, jobId(message)));
        }
        if (LIST.equals(method)) {
            return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void sendMessage(R message) {
                    super.sendMessage(onlyOwn(message, name));
                }
            }, headers);
        }
        return next.startCall(call, headers);
    }

    private StatusRuntimeException refusal(String name, long jobId) {
        try {
            if (Objects.equals(queues.get(jobId).createdBy(), name)) {
                return null;
            }
        } catch (JobNotFoundException e) {
            return null; // the service answers NOT_FOUND
        }
        return StatusMapper.toStatus(new JobNotFoundException(jobId));
    }

    private static long jobId(Object request) {
        return switch (request) {
            case GetJobRequest r -> r.getId();
            case WatchJobRequest r -> r.getId();
            case ListJobEventsRequest r -> r.getJobId();
            default -> throw new IllegalStateException("not a one-job request: " + request.getClass().getName());
        };
    }

    @SuppressWarnings("unchecked")
    private static <R> R onlyOwn(R message, String name) {
        if (!(message instanceof ListJobsResponse page)) {
            return message;
        }
        ListJobsResponse.Builder own = page.toBuilder().clearJobs();
        page.getJobsList().stream().filter(j -> j.getCreatedBy().equals(name)).forEach(own::addJobs);
        return (R) own.build();
    }
}
