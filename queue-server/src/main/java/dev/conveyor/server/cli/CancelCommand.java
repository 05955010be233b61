package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.Job;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", description = "Cancel a waiting or ready job; ask a running one to stop.")
final class CancelCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "JOB_ID")
    long id;

    @Option(names = "--reason", defaultValue = "", description = "Why; kept in the job's history.")
    String reason;

    @Override
    public Integer call() {
        Output output = client.output();
        try (ApiClient api = client.connect()) {
            Job job = api.jobs().cancelJob(CancelJobRequest.newBuilder().setId(id).setReason(reason).build());
            output.print(job, JobTables.detail(job));
        }
        return ExitCodes.OK;
    }
}
