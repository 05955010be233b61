package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.JobEvent;
import dev.conveyor.proto.v1.JobState;
import dev.conveyor.proto.v1.WatchJobRequest;
import dev.conveyor.proto.v1.WatchJobResponse;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", description = {"Follow a job until it ends.",
        "Exits 0 when it SUCCEEDED, 5 when it ended DEAD or CANCELLED."})
final class WatchCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "JOB_ID")
    long id;

    @Option(names = "--from-start", description = "Also show what happened before the watch began.")
    boolean fromStart;

    @Override
    public Integer call() {
        Output output = client.output();
        JobState last = JobState.JOB_STATE_UNSPECIFIED;
        try (ApiClient api = client.connect()) {
            Iterator<WatchJobResponse> stream = api.jobsStreaming()
                    .watchJob(WatchJobRequest.newBuilder().setId(id).setFromStart(fromStart).build());
            while (stream.hasNext()) {
                WatchJobResponse update = stream.next();
                if (update.hasJob()) {
                    Job job = update.getJob();
                    last = job.getState();
                    output.printItem(update, "job " + job.getId() + " (" + job.getQueue() + "/" + job.getType() + ") is "
                            + Cells.state(job.getState()) + ", attempt " + job.getAttempt() + "/" + job.getMaxAttempts());
                } else {
                    JobEvent e = update.getEvent();
                    boolean own = e.getJobId() == id;
                    if (own && e.getKind() == JobEvent.Kind.KIND_STATE) {
                        last = e.getState();
                    }
                    // A workflow parent's stream carries its children's events: say whose they are.
                    output.printItem(update, Cells.time(e.hasTime(), e.getTime()) + "  "
                            + (own ? "" : "job " + e.getJobId() + ": ") + Cells.what(e)
                            + (e.getMessage().isEmpty() ? "" : "  " + e.getMessage()));
                }
            }
        }
        return switch (last) {
            case JOB_STATE_SUCCEEDED -> ExitCodes.OK;
            case JOB_STATE_DEAD, JOB_STATE_CANCELLED -> ExitCodes.JOB_FAILED;
            default -> ExitCodes.ERROR;
        };
    }
}
