package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.RetryJobRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "retry", description = "Make a DEAD or CANCELLED job READY again with fresh attempts.")
final class RetryCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "JOB_ID")
    long id;

    @Override
    public Integer call() {
        Output output = client.output();
        try (ApiClient api = client.connect()) {
            Job job = api.jobs().retryJob(RetryJobRequest.newBuilder().setId(id).build());
            output.print(job, JobTables.detail(job));
        }
        return ExitCodes.OK;
    }
}
