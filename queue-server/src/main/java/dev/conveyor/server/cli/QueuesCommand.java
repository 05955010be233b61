package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.JobState;
import dev.conveyor.proto.v1.ListQueuesRequest;
import dev.conveyor.proto.v1.ListQueuesResponse;
import dev.conveyor.proto.v1.Queue;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "queues", description = "Show each queue's depth by state, its oldest ready job's age and whether it is paused.")
final class QueuesCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        Output output = client.output();
        try (ApiClient api = client.connect()) {
            ListQueuesResponse response = api.admin().listQueues(ListQueuesRequest.getDefaultInstance());
            output.print(response, table(response.getQueuesList()));
        }
        return ExitCodes.OK;
    }

    /** Also used by pause and resume, which print the one queue they changed. */
    static Output.Table table(List<Queue> queues) {
        Output.Table table = new Output.Table("QUEUE", "PAUSED", "WAITING", "READY", "RUNNING", "DEAD", "OLDEST_READY");
        for (Queue q : queues) {
            table.row(q.getName(), q.getPaused(), depth(q, JobState.JOB_STATE_WAITING), depth(q, JobState.JOB_STATE_READY),
                    depth(q, JobState.JOB_STATE_RUNNING), depth(q, JobState.JOB_STATE_DEAD), Cells.seconds(q.getOldestReadyAge()));
        }
        return table;
    }

    private static long depth(Queue q, JobState state) {
        return q.getDepthOrDefault(state.name(), 0);
    }
}
