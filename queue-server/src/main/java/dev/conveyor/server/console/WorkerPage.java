package dev.conveyor.server.console;

import dev.conveyor.core.QueueManager;
import dev.conveyor.core.WorkerInfo;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The worker daemons as registered: pools, slots, last heartbeat; the dead ones marked. */
final class WorkerPage {
    private final QueueManager queues;
    private final Templates templates;

    WorkerPage(QueueManager queues, Templates templates) {
        this.queues = queues;
        this.templates = templates;
    }

    void show(Call call) throws IOException {
        Access.requireOperator(call);
        // The living first, then the dead, newest heartbeat first within each.
        List<WorkerInfo> workers = queues.workers().stream()
                .sorted(Comparator.comparing(WorkerInfo::alive).reversed()
                        .thenComparing(WorkerInfo::heartbeatAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
        Map<String, Object> model = call.model("workers");
        model.put("workers", workers);
        model.put("alive", workers.stream().filter(WorkerInfo::alive).count());
        model.put("now", queues.databaseNow());
        call.html(200, templates.render("workers.ftlh", model));
    }
}
