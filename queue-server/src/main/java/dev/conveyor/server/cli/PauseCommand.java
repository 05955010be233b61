package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.Queue;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pause", description = "Stop workers from claiming from a queue; it still accepts jobs.")
final class PauseCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "QUEUE")
    String queue;

    @Option(names = "--allow-missing",
            description = "Pause a queue that holds no job yet, so its first jobs wait (otherwise NOT_FOUND, exit 3).")
    boolean allowMissing;

    @Override
    public Integer call() {
        Output output = client.output();
        try (ApiClient api = client.connect()) {
            Queue q = api.admin().pauseQueue(PauseQueueRequest.newBuilder().setQueue(queue).setAllowMissing(allowMissing).build());
            output.print(q, QueuesCommand.table(List.of(q)));
        }
        return ExitCodes.OK;
    }
}
