package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.ListWorkersRequest;
import dev.conveyor.proto.v1.ListWorkersResponse;
import dev.conveyor.proto.v1.Worker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "workers", description = "Show the registered worker daemons, live and dead.")
final class WorkersCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        Output output = client.output();
        try (ApiClient api = client.connect()) {
            ListWorkersResponse response = api.admin().listWorkers(ListWorkersRequest.getDefaultInstance());
            Output.Table table = new Output.Table("ID", "HOST", "PID", "POOLS", "SLOTS", "STARTED", "HEARTBEAT", "STATUS");
            for (Worker w : response.getWorkersList()) {
                String status = w.getAlive() ? "alive" : w.hasStopTime() ? "stopped" : "dead";
                table.row(w.getId(), w.getHost(), w.getPid(), w.getPools(), w.getSlots(),
                        Cells.time(w.hasStartTime(), w.getStartTime()),
                        Cells.time(w.hasHeartbeatTime(), w.getHeartbeatTime()), status);
            }
            output.print(response, table);
        }
        return ExitCodes.OK;
    }
}
