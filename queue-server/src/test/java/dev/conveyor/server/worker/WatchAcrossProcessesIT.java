package dev.conveyor.server.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.JobEvent;
import dev.conveyor.proto.v1.JobState;
import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.ResumeQueueRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.WatchJobRequest;
import dev.conveyor.proto.v1.WatchJobResponse;
import dev.conveyor.server.RunningServer;
import dev.conveyor.server.TourHandlers;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server and a worker daemon in separate processes sharing only the database: a WatchJob stream
 * on the server follows a job the daemon runs, and the traceparent sent at submit reaches the
 * daemon's log line for that job.
 */
@ExtendWith(TestDatabase.class)
class WatchAcrossProcessesIT {
    private static final String QUEUE = "watched";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @Test
    void aWatchOnTheServerSeesTheDaemonRunTheJobAndTheTraceReachesItsLog(TestDb db) throws Exception {
        try (RunningServer server = RunningServer.start(db.open());
                DaemonProcess daemon = DaemonProcess.start("watch-daemon", db, server.queues(),
                        "--pool", QUEUE + ":2", "--idle-poll-max", "200ms")) {
            // Paused, the job waits until the watch has its snapshot: every event then comes live.
            server.admin().pauseQueue(PauseQueueRequest.newBuilder().setQueue(QUEUE).setAllowMissing(true).build());
            long id = submitWithTrace(server, "hello from the test");
            Iterator<WatchJobResponse> stream = server.jobsWithoutDeadline()
                    .watchJob(WatchJobRequest.newBuilder().setId(id).build());
            WatchJobResponse snapshot = stream.next();

            server.admin().resumeQueue(ResumeQueueRequest.newBuilder().setQueue(QUEUE).build());
            List<JobEvent> events = new ArrayList<>();
            stream.forEachRemaining(update -> events.add(update.getEvent()));

            assertThat(snapshot.getJob().getState()).isEqualTo(JobState.JOB_STATE_READY);
            assertThat(snapshot.getJob().getTraceParent()).isEqualTo(TRACEPARENT);
            String daemonId = daemon.registration(server.queues()).orElseThrow().id();
            assertThat(events).filteredOn(e -> e.getKind() == JobEvent.Kind.KIND_STEP).singleElement()
                    .satisfies(step -> {
                        assertThat(step.getStep()).isEqualTo("echo");
                        assertThat(step.getMessage()).isEqualTo("hello from the test");
                        assertThat(step.getWorker()).startsWith(daemonId);
                    });
            assertThat(events.getLast().getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
            assertThat(Files.readAllLines(daemon.log())).anySatisfy(line -> assertThat(line)
                    .contains("echo job " + id + ": hello from the test")
                    .contains("job_id=" + id)
                    .contains("trace_id=" + TRACE_ID));
        }
    }

    private static long submitWithTrace(RunningServer server, String text) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), TRACEPARENT);
        return server.jobs().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .submitJob(SubmitJobRequest.newBuilder().setQueue(QUEUE).setType(TourHandlers.ECHO)
                        .setPayload(ByteString.copyFromUtf8(text)).build())
                .getJob().getId();
    }
}
