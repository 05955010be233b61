package dev.conveyor.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.ClaimRequest;
import dev.conveyor.core.WorkerInfo;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.ListQueuesRequest;
import dev.conveyor.proto.v1.ListWorkersRequest;
import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.Queue;
import dev.conveyor.proto.v1.ResumeQueueRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.Worker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** QueueAdminService over a real port: queue figures, pause and resume as claims see them, workers. */
@ExtendWith(TestDatabase.class)
class QueueAdminIT {
    private static RunningServer server;

    @BeforeAll
    static void start(TestDb db) {
        server = RunningServer.start(db.open());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void listQueuesShowsDepthByStateAndTheOldestReadyAge() {
        submit("depth");
        submit("depth");
        new dev.conveyor.server.Worker(server.queues()).run("depth");

        Queue queue = server.admin().listQueues(ListQueuesRequest.getDefaultInstance()).getQueuesList().stream()
                .filter(q -> q.getName().equals("depth")).findFirst().orElseThrow();

        assertThat(queue.getDepthMap()).containsEntry("JOB_STATE_READY", 1L).containsEntry("JOB_STATE_RUNNING", 0L)
                .doesNotContainKey("JOB_STATE_SUCCEEDED");
        assertThat(queue.getPaused()).isFalse();
        assertThat(queue.getOldestReadyAge().getSeconds() * 1_000_000_000L + queue.getOldestReadyAge().getNanos())
                .isPositive();
    }

    @Test
    void aPausedQueueTakesSubmissionsButIsNotClaimedUntilResumed() {
        Queue paused = server.admin().pauseQueue(PauseQueueRequest.newBuilder().setQueue("paused").setAllowMissing(true).build());
        long id = submit("paused");

        assertThat(paused.getPaused()).isTrue();
        assertThat(server.queues().claim(claim("paused"))).isEmpty();

        Queue resumed = server.admin().resumeQueue(ResumeQueueRequest.newBuilder().setQueue("paused").build());

        assertThat(resumed.getPaused()).isFalse();
        assertThat(resumed.getDepthMap()).containsEntry("JOB_STATE_READY", 1L);
        assertThat(server.queues().claim(claim("paused"))).extracting(job -> job.id()).containsExactly(id);
    }

    @Test
    void listWorkersShowsLiveAndStoppedDaemons() {
        Instant now = server.queues().databaseNow();
        server.queues().registerWorker(new WorkerInfo("w-live", "host-a", 101, "default:8", 8, now, now, null, true));
        server.queues().registerWorker(new WorkerInfo("w-gone", "host-b", 102, "default:4", 4, now, now, null, true));
        server.queues().deregisterWorker("w-gone");

        var workers = server.admin().listWorkers(ListWorkersRequest.getDefaultInstance()).getWorkersList();

        Worker live = workers.stream().filter(w -> w.getId().equals("w-live")).findFirst().orElseThrow();
        Worker gone = workers.stream().filter(w -> w.getId().equals("w-gone")).findFirst().orElseThrow();
        assertThat(live.getAlive()).isTrue();
        assertThat(live.getHost()).isEqualTo("host-a");
        assertThat(live.getPid()).isEqualTo(101);
        assertThat(live.getSlots()).isEqualTo(8);
        assertThat(live.hasHeartbeatTime()).isTrue();
        assertThat(gone.getAlive()).isFalse();
        assertThat(gone.hasStopTime()).isTrue();
    }

    private static long submit(String queue) {
        return server.jobs().submitJob(SubmitJobRequest.newBuilder().setQueue(queue).setType("noop").build())
                .getJob().getId();
    }

    private static ClaimRequest claim(String queue) {
        return new ClaimRequest(queue, "test-worker", 10, Duration.ofSeconds(30));
    }
}
