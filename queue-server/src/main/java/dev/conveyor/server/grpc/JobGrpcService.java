package dev.conveyor.server.grpc;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobPage;
import dev.conveyor.core.JobQuery;
import dev.conveyor.core.JobState;
import dev.conveyor.core.JobRules;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitResult;
import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.ListJobEventsRequest;
import dev.conveyor.proto.v1.ListJobEventsResponse;
import dev.conveyor.proto.v1.ListJobsRequest;
import dev.conveyor.proto.v1.ListJobsResponse;
import dev.conveyor.proto.v1.RetryJobRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobResponse;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import dev.conveyor.proto.v1.SubmitJobsResponse;
import dev.conveyor.proto.v1.WatchJobRequest;
import dev.conveyor.proto.v1.WatchJobResponse;
import dev.conveyor.server.security.Caller;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** {@code conveyor.v1.JobService}: requests to domain calls on the {@link QueueManager}, and back. */
final class JobGrpcService extends JobServiceGrpc.JobServiceImplBase {
    static final int DEFAULT_EVENT_PAGE_SIZE = 100;

    private final QueueManager queues;
    private final PageTokens pageTokens;
    private final JobWatches watches;
    private final int maxPayloadBytes;

    JobGrpcService(QueueManager queues, PageTokens pageTokens, JobWatches watches, int maxPayloadBytes) {
        this.queues = queues;
        this.pageTokens = pageTokens;
        this.watches = watches;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void submitJob(SubmitJobRequest request, StreamObserver<SubmitJobResponse> response) {
        Rpc.unary(response, () -> {
            NewJob job = JobMapper.newJob(request, maxPayloadBytes, TraceInterceptor.current());
            JobReferences.requireReadable(queues, List.of(job));
            SubmitResult result = Caller.queues(queues).submit(job);
            // A new job is answered from what its insert returned; an existing one (deduplicated)
            // may have moved on since, and one cancelled at birth carries its reason: those are read.
            Job stored = result.hasStoredTimes() && result.state() != JobState.CANCELLED
                    ? JobMapper.created(job, result)
                    : JobMapper.job(queues.get(result.jobId()), job.dependsOn());
            return SubmitJobResponse.newBuilder()
                    .setJob(stored)
                    .setDeduplicated(result.deduplicated())
                    .build();
        });
    }

    @Override
    public void submitJobs(SubmitJobsRequest request, StreamObserver<SubmitJobsResponse> response) {
        Rpc.unary(response, () -> {
            int size = request.getJobsCount();
            if (size == 0 || size > JobRules.MAX_BATCH_SIZE) {
                throw new InvalidRequestException("jobs", "must hold 1 to " + JobRules.MAX_BATCH_SIZE + " jobs");
            }
            String traceParent = TraceInterceptor.current();
            List<NewJob> jobs = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                try {
                    jobs.add(JobMapper.newJob(request.getJobs(i), maxPayloadBytes, traceParent));
                } catch (InvalidRequestException e) {
                    throw new InvalidRequestException("jobs[" + i + "]." + e.field(), e.rule());
                }
            }
            JobReferences.requireReadable(queues, jobs);
            List<SubmitResult> results = Caller.queues(queues).submitAll(jobs);
            SubmitJobsResponse.Builder out = SubmitJobsResponse.newBuilder();
            for (int i = 0; i < size; i++) {
                out.addResultsBuilder()
                        .setJob(JobMapper.submitted(jobs.get(i), results.get(i)))
                        .setDeduplicated(results.get(i).deduplicated());
            }
            return out.build();
        });
    }

    @Override
    public void getJob(GetJobRequest request, StreamObserver<Job> response) {
        Rpc.unary(response, () -> current(RequestRules.jobId("id", request.getId())));
    }

    @Override
    public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> response) {
        Rpc.unary(response, () -> {
            int pageSize = RequestRules.pageSize(request.getPageSize(), JobQuery.DEFAULT_PAGE_SIZE);
            JobQuery query = JobMapper.query(request, pageSize, null);
            String scope = listScope(request);
            if (!request.getPageToken().isEmpty()) {
                query = query.withPage(pageSize, pageTokens.open(request.getPageToken(), scope));
            }
            JobPage page = queues.list(query);
            ListJobsResponse.Builder out = ListJobsResponse.newBuilder();
            page.jobs().forEach(job -> out.addJobs(JobMapper.job(job, List.of())));
            if (page.nextBeforeId() != null) {
                out.setNextPageToken(pageTokens.issue(page.nextBeforeId(), scope));
            }
            return out.build();
        });
    }

    @Override
    public void cancelJob(CancelJobRequest request, StreamObserver<Job> response) {
        Rpc.unary(response, () -> {
            long id = RequestRules.jobId("id", request.getId());
            Caller.queues(queues).cancel(id, RequestRules.reason(request.getReason()), Caller.name());
            return current(id);
        });
    }

    @Override
    public void retryJob(RetryJobRequest request, StreamObserver<Job> response) {
        Rpc.unary(response, () -> {
            long id = RequestRules.jobId("id", request.getId());
            Caller.queues(queues).retry(id, Caller.name());
            return current(id);
        });
    }

    @Override
    public void watchJob(WatchJobRequest request, StreamObserver<WatchJobResponse> response) {
        watches.open(request, (ServerCallStreamObserver<WatchJobResponse>) response);
    }

    @Override
    public void listJobEvents(ListJobEventsRequest request, StreamObserver<ListJobEventsResponse> response) {
        Rpc.unary(response, () -> {
            long jobId = RequestRules.jobId("job_id", request.getJobId());
            int pageSize = RequestRules.pageSize(request.getPageSize(), DEFAULT_EVENT_PAGE_SIZE);
            String scope = "ListJobEvents:" + jobId;
            long after = 0;
            if (request.getPageToken().isEmpty()) {
                queues.get(jobId); // an unknown job is NOT_FOUND, not an empty history
            } else {
                after = pageTokens.open(request.getPageToken(), scope);
            }
            List<JobEventRecord> events = queues.events(jobId, after, pageSize);
            ListJobEventsResponse.Builder out = ListJobEventsResponse.newBuilder();
            events.forEach(e -> out.addEvents(JobMapper.event(e)));
            if (events.size() == pageSize) {
                out.setNextPageToken(pageTokens.issue(events.getLast().id(), scope));
            }
            return out.build();
        });
    }

    private Job current(long id) {
        return JobMapper.job(queues.get(id), queues.dependencies(id));
    }

    /** The filters a page token is bound to: the request without its paging fields. */
    private static String listScope(ListJobsRequest request) {
        byte[] filters = request.toBuilder().clearPageSize().clearPageToken().build().toByteArray();
        return "ListJobs:" + Base64.getEncoder().encodeToString(filters);
    }
}
