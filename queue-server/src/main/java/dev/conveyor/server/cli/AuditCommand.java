package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.AuditEvent;
import dev.conveyor.proto.v1.ListAuditEventsRequest;
import dev.conveyor.proto.v1.ListAuditEventsResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "List the audit log, newest first: every mutating call, allowed, denied or failed.")
final class AuditCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-a", "--actor"}, description = "Only this identity's calls.")
    String actor;

    @Option(names = "--page-size", defaultValue = "0", description = "Records per page (default 50, at most 1000).")
    int pageSize;

    @Option(names = "--page-token", description = "The token printed with the previous page.")
    String pageToken;

    @Override
    public Integer call() {
        Output output = client.output();
        ListAuditEventsRequest.Builder request = ListAuditEventsRequest.newBuilder().setPageSize(pageSize);
        if (actor != null) {
            request.setActor(actor);
        }
        if (pageToken != null) {
            request.setPageToken(pageToken);
        }
        try (ApiClient api = client.connect()) {
            ListAuditEventsResponse page = api.audit().listAuditEvents(request.build());
            Output.Table table = new Output.Table("ID", "TIME", "ACTOR", "ROLES", "ACTION", "TARGET", "OUTCOME", "DETAIL",
                    "REMOTE");
            for (AuditEvent e : page.getEventsList()) {
                table.row(e.getId(), Cells.time(e.hasTime(), e.getTime()), e.getActor(), e.getRoles(), e.getAction(),
                        e.getTarget(), e.getOutcome(), e.getDetail(), e.getRemote());
            }
            output.print(page, table);
            if (!page.getNextPageToken().isEmpty()) {
                output.note("more: --page-token " + page.getNextPageToken());
            }
        }
        return ExitCodes.OK;
    }
}
