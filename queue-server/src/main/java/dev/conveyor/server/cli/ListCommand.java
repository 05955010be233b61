package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.JobState;
import dev.conveyor.proto.v1.ListJobsRequest;
import dev.conveyor.proto.v1.ListJobsResponse;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "list", description = "List jobs, newest first, one page at a time.")
final class ListCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-q", "--queue"}, description = "Only this queue.")
    String queue;

    @Option(names = {"-s", "--state"}, description = "Only this state: WAITING, READY, RUNNING, SUCCEEDED, DEAD, CANCELLED.")
    String state;

    @Option(names = {"-t", "--type"}, description = "Only this job type.")
    String type;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY[=VALUE]", description = "Only jobs with this label (and value).")
    String label;

    @Option(names = "--parent", defaultValue = "0", description = "Only children of this job.")
    long parentId;

    @Option(names = "--page-size", defaultValue = "0", description = "Jobs per page (default 50, at most 1000).")
    int pageSize;

    @Option(names = "--page-token", description = "The token printed with the previous page.")
    String pageToken;

    @Override
    public Integer call() {
        Output output = client.output();
        ListJobsRequest.Builder request = ListJobsRequest.newBuilder().setPageSize(pageSize).setParentId(parentId);
        if (queue != null) {
            request.setQueue(queue);
        }
        if (state != null) {
            request.setState(state(state));
        }
        if (type != null) {
            request.setType(type);
        }
        if (label != null) {
            int eq = label.indexOf('=');
            request.setLabelKey(eq < 0 ? label : label.substring(0, eq));
            if (eq >= 0) {
                request.setLabelValue(label.substring(eq + 1));
            }
        }
        if (pageToken != null) {
            request.setPageToken(pageToken);
        }
        try (ApiClient api = client.connect()) {
            ListJobsResponse page = api.jobs().listJobs(request.build());
            output.print(page, JobTables.summary(page.getJobsList()));
            if (!page.getNextPageToken().isEmpty()) {
                output.note("more: --page-token " + page.getNextPageToken());
            }
        }
        return ExitCodes.OK;
    }

    private JobState state(String name) {
        try {
            return JobState.valueOf("JOB_STATE_" + name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(client.spec.commandLine(), "--state must be one of WAITING, READY, RUNNING, "
                    + "SUCCEEDED, DEAD, CANCELLED; was '" + name + "'");
        }
    }
}
