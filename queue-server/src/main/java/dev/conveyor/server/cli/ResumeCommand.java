package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.Queue;
import dev.conveyor.proto.v1.ResumeQueueRequest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "resume", description = "Let workers claim from a paused queue again.")
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "QUEUE")
    String queue;

    @Override
    public Integer call() {
        Output output = client.output();
        try (ApiClient api = client.connect()) {
            Queue q = api.admin().resumeQueue(ResumeQueueRequest.newBuilder().setQueue(queue).build());
            output.print(q, QueuesCommand.table(List.of(q)));
        }
        return ExitCodes.OK;
    }
}
