package dev.conveyor.server.grpc;

import dev.conveyor.core.JobRules;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.QueueStats;
import dev.conveyor.proto.v1.ListQueuesRequest;
import dev.conveyor.proto.v1.ListQueuesResponse;
import dev.conveyor.proto.v1.ListWorkersRequest;
import dev.conveyor.proto.v1.ListWorkersResponse;
import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.Queue;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import dev.conveyor.proto.v1.ResumeQueueRequest;
import dev.conveyor.server.security.Caller;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;

/** {@code conveyor.v1.QueueAdminService}: requests to domain calls on the {@link QueueManager}, and back. */
final class QueueAdminGrpcService extends QueueAdminServiceGrpc.QueueAdminServiceImplBase {
    private final QueueManager queues;

    QueueAdminGrpcService(QueueManager queues) {
        this.queues = queues;
    }

    @Override
    public void listQueues(ListQueuesRequest request, StreamObserver<ListQueuesResponse> response) {
        Rpc.unary(response, () -> {
            ListQueuesResponse.Builder out = ListQueuesResponse.newBuilder();
            queues.queueStats().stream()
                    .sorted(Comparator.comparing(QueueStats::queue))
                    .forEach(stats -> out.addQueues(JobMapper.queue(stats)));
            return out.build();
        });
    }

    @Override
    public void pauseQueue(PauseQueueRequest request, StreamObserver<Queue> response) {
        Rpc.unary(response, () -> {
            String queue = JobRules.requireName("queue", request.getQueue());
            Caller.queues(queues).pause(queue, Caller.name(), request.getAllowMissing());
            return queue(queue);
        });
    }

    @Override
    public void resumeQueue(ResumeQueueRequest request, StreamObserver<Queue> response) {
        Rpc.unary(response, () -> {
            String queue = JobRules.requireName("queue", request.getQueue());
            Caller.queues(queues).resume(queue);
            return queue(queue);
        });
    }

    @Override
    public void listWorkers(ListWorkersRequest request, StreamObserver<ListWorkersResponse> response) {
        Rpc.unary(response, () -> {
            ListWorkersResponse.Builder out = ListWorkersResponse.newBuilder();
            queues.workers().forEach(worker -> out.addWorkers(JobMapper.worker(worker)));
            return out.build();
        });
    }

    /** A queue paused ahead of its jobs, or just resumed and empty, has no stats row. */
    private Queue queue(String name) {
        return queues.queueStats().stream()
                .filter(stats -> stats.queue().equals(name))
                .findFirst()
                .map(JobMapper::queue)
                .orElseGet(() -> Queue.newBuilder().setName(name).setPaused(queues.isPaused(name)).build());
    }
}
