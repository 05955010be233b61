package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.ListJobEventsRequest;
import dev.conveyor.proto.v1.ListJobEventsResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "events", description = "Show a job's history, oldest first.")
final class EventsCommand implements Callable<Integer> {
    private static final int PAGE_SIZE = 1000;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "JOB_ID")
    long id;

    @Override
    public Integer call() {
        Output output = client.output();
        ListJobEventsResponse.Builder all = ListJobEventsResponse.newBuilder();
        try (ApiClient api = client.connect()) {
            String token = "";
            do {
                ListJobEventsResponse page = api.jobs().listJobEvents(ListJobEventsRequest.newBuilder()
                        .setJobId(id).setPageSize(PAGE_SIZE).setPageToken(token).build());
                all.addAllEvents(page.getEventsList());
                token = page.getNextPageToken();
            } while (!token.isEmpty());
        }
        output.print(all, JobTables.events(all.getEventsList()));
        return ExitCodes.OK;
    }
}
