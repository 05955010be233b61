package dev.conveyor.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.conveyor.core.ClaimedJob;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.JobEvent;
import dev.conveyor.proto.v1.JobState;
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
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every JobService RPC's normal path, over a real port. */
@ExtendWith(TestDatabase.class)
class JobServiceIT {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static RunningServer server;
    private static Worker worker;

    @BeforeAll
    static void start(TestDb db) {
        server = RunningServer.start(db.open());
        worker = new Worker(server.queues());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void submitJobStoresTheJobWithTheCallersTraceparent() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), TRACEPARENT);

        SubmitJobResponse response = server.jobs()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .submitJob(request("submit").setPayload(ByteString.copyFromUtf8("{\"rack\":\"r1\"}"))
                        .setContentType("application/json").setPriority(-5).putLabels("rack", "r1").build());

        Job job = response.getJob();
        assertThat(response.getDeduplicated()).isFalse();
        assertThat(job.getId()).isPositive();
        assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_READY);
        assertThat(job.getPriority()).isEqualTo(-5);
        assertThat(job.getMaxAttempts()).isEqualTo(5);
        assertThat(job.getPayload().toStringUtf8()).isEqualTo("{\"rack\":\"r1\"}");
        assertThat(job.getLabelsMap()).containsEntry("rack", "r1");
        assertThat(job.getTraceParent()).isEqualTo(TRACEPARENT);
        assertThat(job.hasCreateTime()).isTrue();
        assertThat(server.queues().get(job.getId()).traceParent()).isEqualTo(TRACEPARENT);
    }

    @Test
    void submitJobAnswersWithTheJobAsGetJobReadsIt() {
        // The answer is built from what the insert returned, without reading the job back: it
        // must still be the stored job, times (run_time from a delay, create_time) included.
        SubmitJobResponse response = server.jobs().submitJob(request("as-stored")
                .setDelay(com.google.protobuf.Duration.newBuilder().setSeconds(30)).setIdempotencyKey("as-stored-1")
                .setContentType("text/plain").setConcurrencyKey("rack-9").setConcurrencyLimit(1)
                .putLabels("rack", "r9").build());

        Job stored = server.jobs().getJob(GetJobRequest.newBuilder().setId(response.getJob().getId()).build());
        assertThat(response.getJob()).isEqualTo(stored);
        assertThat(stored.getRunTime().getSeconds() - stored.getCreateTime().getSeconds()).isBetween(29L, 31L);
    }

    @Test
    void submittingTheSameRequestWithItsKeyAgainIsDeduplicated() {
        SubmitJobRequest request = request("dedupe").setIdempotencyKey("order-17").build();

        SubmitJobResponse first = server.jobs().submitJob(request);
        SubmitJobResponse again = server.jobs().submitJob(request);

        assertThat(again.getDeduplicated()).isTrue();
        assertThat(again.getJob().getId()).isEqualTo(first.getJob().getId());
    }

    @Test
    void submitJobsEnqueuesTheBatchInRequestOrder() {
        SubmitJobsResponse response = server.jobs().submitJobs(SubmitJobsRequest.newBuilder()
                .addJobs(request("batch").setType("first"))
                .addJobs(request("batch").setType("second"))
                .build());

        assertThat(response.getResultsList()).extracting(r -> r.getJob().getType()).containsExactly("first", "second");
        for (var result : response.getResultsList()) {
            assertThat(server.queues().get(result.getJob().getId()).type()).isEqualTo(result.getJob().getType());
        }
    }

    @Test
    void getJobShowsTheJobWithItsDependencies() {
        long first = submit("get");
        long second = server.jobs().submitJob(request("get").addDependsOn(first).build()).getJob().getId();

        Job job = server.jobs().getJob(GetJobRequest.newBuilder().setId(second).build());

        assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_WAITING);
        assertThat(job.getDependsOnList()).containsExactly(first);
    }

    @Test
    void listJobsFiltersAndPagesNewestFirst() {
        List<Long> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submitted.add(server.jobs().submitJob(request("list").putLabels("batch", i % 2 == 0 ? "even" : "odd")
                    .build()).getJob().getId());
        }
        ListJobsRequest filter = ListJobsRequest.newBuilder().setQueue("list").setPageSize(2).build();

        List<Long> seen = new ArrayList<>();
        ListJobsResponse page = server.jobs().listJobs(filter);
        int pages = 1;
        seen.addAll(page.getJobsList().stream().map(Job::getId).toList());
        while (!page.getNextPageToken().isEmpty()) {
            page = server.jobs().listJobs(filter.toBuilder().setPageToken(page.getNextPageToken()).build());
            seen.addAll(page.getJobsList().stream().map(Job::getId).toList());
            pages++;
        }

        assertThat(seen).containsExactlyElementsOf(submitted.reversed());
        assertThat(pages).isEqualTo(3);
        ListJobsResponse even = server.jobs().listJobs(ListJobsRequest.newBuilder().setQueue("list")
                .setLabelKey("batch").setLabelValue("even").setState(JobState.JOB_STATE_READY).build());
        assertThat(even.getJobsList()).extracting(Job::getId)
                .containsExactly(submitted.get(4), submitted.get(2), submitted.get(0));
    }

    @Test
    void cancelJobEndsAReadyJobAndRetryJobBringsItBack() {
        long id = submit("cancel");

        Job cancelled = server.jobs().cancelJob(CancelJobRequest.newBuilder().setId(id).setReason("not needed").build());
        Job retried = server.jobs().retryJob(RetryJobRequest.newBuilder().setId(id).build());

        assertThat(cancelled.getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
        assertThat(cancelled.getLastError()).contains("not needed");
        assertThat(retried.getState()).isEqualTo(JobState.JOB_STATE_READY);
    }

    @Test
    void cancelJobAsksARunningJobToStop() {
        long id = submit("cancel-running");
        worker.claim("cancel-running");

        Job job = server.jobs().cancelJob(CancelJobRequest.newBuilder().setId(id).build());

        assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_RUNNING);
        assertThat(job.getCancelRequested()).isTrue();
    }

    @Test
    void watchJobSendsTheSnapshotThenEachEventUntilTheJobEnds() {
        long id = submit("watch");
        Iterator<WatchJobResponse> stream = server.jobsWithoutDeadline()
                .watchJob(WatchJobRequest.newBuilder().setId(id).build());
        WatchJobResponse first = stream.next();

        worker.run("watch");
        List<JobEvent> events = new ArrayList<>();
        stream.forEachRemaining(update -> events.add(update.getEvent()));

        assertThat(first.getJob().getState()).isEqualTo(JobState.JOB_STATE_READY);
        // The READY event of the submission may come too, when the tail reads it after the watch began.
        assertThat(events).extracting(JobEvent::getKind, JobEvent::getState, JobEvent::getStep).endsWith(
                org.assertj.core.groups.Tuple.tuple(JobEvent.Kind.KIND_STATE, JobState.JOB_STATE_RUNNING, ""),
                org.assertj.core.groups.Tuple.tuple(JobEvent.Kind.KIND_STEP, JobState.JOB_STATE_UNSPECIFIED, "check"),
                org.assertj.core.groups.Tuple.tuple(JobEvent.Kind.KIND_STATE, JobState.JOB_STATE_SUCCEEDED, ""));
        assertThat(events).allSatisfy(e -> assertThat(e.getJobId()).isEqualTo(id));
    }

    @Test
    void watchJobFromStartReplaysAFinishedJobsHistoryAndEnds() {
        long id = submit("replay");
        worker.run("replay");

        List<WatchJobResponse> all = new ArrayList<>();
        server.jobsWithoutDeadline().watchJob(WatchJobRequest.newBuilder().setId(id).setFromStart(true).build())
                .forEachRemaining(all::add);

        assertThat(all.getFirst().getJob().getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
        List<JobEvent> events = all.subList(1, all.size()).stream().map(WatchJobResponse::getEvent).toList();
        assertThat(events).extracting(JobEvent::getState).contains(JobState.JOB_STATE_READY, JobState.JOB_STATE_RUNNING,
                JobState.JOB_STATE_SUCCEEDED);
        assertThat(events).extracting(JobEvent::getId).isSorted();
    }

    @Test
    void watchingAWorkflowParentStreamsItsChildrensProgressAndEndsWithTheParent() {
        long parent = server.queues().submit(NewJob.builder("wf-parent", "summary").awaitChildren(true).build())
                .jobId();
        List<Long> children = List.of(
                server.queues().submit(NewJob.builder("wf-child", "check").parentId(parent).build()).jobId(),
                server.queues().submit(NewJob.builder("wf-child", "check").parentId(parent).build()).jobId());
        Iterator<WatchJobResponse> stream = server.jobsWithoutDeadline()
                .watchJob(WatchJobRequest.newBuilder().setId(parent).build());
        assertThat(stream.next().getJob().getState()).isEqualTo(JobState.JOB_STATE_WAITING);

        worker.run("wf-child");
        worker.run("wf-child");
        worker.run("wf-parent");
        List<JobEvent> live = new ArrayList<>();
        stream.forEachRemaining(update -> live.add(update.getEvent()));

        for (long child : children) {
            assertThat(live).as("child %d's progress on the parent's stream", child)
                    .filteredOn(e -> e.getJobId() == child)
                    .extracting(JobEvent::getKind, JobEvent::getState, JobEvent::getStep).containsSubsequence(
                            org.assertj.core.groups.Tuple.tuple(JobEvent.Kind.KIND_STATE, JobState.JOB_STATE_RUNNING, ""),
                            org.assertj.core.groups.Tuple.tuple(JobEvent.Kind.KIND_STEP, JobState.JOB_STATE_UNSPECIFIED,
                                    "check"),
                            org.assertj.core.groups.Tuple.tuple(JobEvent.Kind.KIND_STATE,
                                    JobState.JOB_STATE_SUCCEEDED, ""));
        }
        assertThat(live).extracting(JobEvent::getJobId).containsOnly(parent, children.get(0), children.get(1));
        assertThat(live).extracting(JobEvent::getId).isSorted();
        JobEvent last = live.getLast();
        assertThat(last.getJobId()).as("the stream ends with the parent's own end").isEqualTo(parent);
        assertThat(last.getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);

        List<WatchJobResponse> replay = new ArrayList<>();
        server.jobsWithoutDeadline().watchJob(WatchJobRequest.newBuilder().setId(parent).setFromStart(true).build())
                .forEachRemaining(replay::add);
        List<JobEvent> replayed = replay.subList(1, replay.size()).stream().map(WatchJobResponse::getEvent).toList();
        assertThat(replayed).extracting(JobEvent::getJobId).contains(parent, children.get(0), children.get(1));
        assertThat(replayed).extracting(JobEvent::getId).isSorted().doesNotHaveDuplicates();
        assertThat(replayed).extracting(JobEvent::getId).containsAll(live.stream().map(JobEvent::getId).toList());
    }

    @Test
    void listJobEventsPagesThroughTheHistoryOldestFirst() {
        long id = submit("events");
        ClaimedJob job = worker.claim("events");
        worker.step(job, "one", "first");
        worker.step(job, "two", "second");
        worker.finish(job, Outcome.succeeded());
        List<Long> expected = server.queues().events(id, 0, 100).stream().map(e -> e.id()).toList();

        List<Long> seen = new ArrayList<>();
        ListJobEventsRequest request = ListJobEventsRequest.newBuilder().setJobId(id).setPageSize(2).build();
        ListJobEventsResponse page = server.jobs().listJobEvents(request);
        seen.addAll(page.getEventsList().stream().map(JobEvent::getId).toList());
        while (!page.getNextPageToken().isEmpty()) {
            page = server.jobs().listJobEvents(request.toBuilder().setPageToken(page.getNextPageToken()).build());
            seen.addAll(page.getEventsList().stream().map(JobEvent::getId).toList());
        }

        assertThat(expected).hasSizeGreaterThanOrEqualTo(5);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void everyEventReachesAnAllEventsSubscriber() {
        java.util.Queue<Long> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Runnable unsubscribe = server.node().onEveryEvent(event -> seen.add(event.jobId()));
        try {
            long first = submit("firehose");
            long second = submit("firehose-other");

            dev.conveyor.core.testing.Conditions.await(java.time.Duration.ofSeconds(10), "both jobs' READY events",
                    () -> seen.contains(first) && seen.contains(second));
        } finally {
            unsubscribe.run();
        }
    }

    private static SubmitJobRequest.Builder request(String queue) {
        return SubmitJobRequest.newBuilder().setQueue(queue).setType("noop");
    }

    private static long submit(String queue) {
        return server.jobs().submitJob(request(queue).build()).getJob().getId();
    }
}
