package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.Job;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Show one job.")
final class GetCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "JOB_ID", description = "The job's id.")
    long id;

    @Override
    public Integer call() {
        Output output = client.output();
        try (ApiClient api = client.connect()) {
            Job job = api.jobs().getJob(GetJobRequest.newBuilder().setId(id).build());
            output.print(job, JobTables.detail(job));
        }
        return ExitCodes.OK;
    }
}
