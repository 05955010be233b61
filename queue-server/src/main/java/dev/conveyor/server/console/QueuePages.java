package dev.conveyor.server.console;

import dev.conveyor.core.JobRules;
import dev.conveyor.core.JobState;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.QueueStats;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The queues: depth by state, oldest ready age, last minute's throughput, paused; pause and resume. */
final class QueuePages {
    /** One queue's row. */
    public record Row(String name, Map<JobState, Long> depth, Duration oldestReadyAge, boolean paused,
            Throughput.PerMinute perMinute) {
        public long depthOf(JobState state) {
            return depth.getOrDefault(state, 0L);
        }
    }

    private final QueueManager queues;
    private final Throughput throughput;
    private final Templates templates;

    QueuePages(QueueManager queues, Throughput throughput, Templates templates) {
        this.queues = queues;
        this.throughput = throughput;
        this.templates = templates;
    }

    void list(Call call) throws IOException {
        Map<String, Throughput.PerMinute> perMinute = throughput.lastMinute();
        List<Row> rows = queues.queueStats().stream()
                .sorted(Comparator.comparing(QueueStats::queue))
                .map(s -> new Row(s.queue(), s.depth(), s.oldestReadyAge(), s.paused(),
                        perMinute.getOrDefault(s.queue(), new Throughput.PerMinute(0, 0))))
                .toList();
        Map<String, Object> model = call.model("queues");
        model.put("queues", rows);
        // The states the store counts (the backlog), in the order of their life.
        model.put("states", rows.stream().flatMap(r -> r.depth().keySet().stream()).distinct().sorted().toList());
        call.html(200, templates.render("queues.ftlh", model));
    }

    /** POST queues/{name}/pause or queues/{name}/resume. */
    void pauseOrResume(Call call, String name, boolean pause) throws IOException {
        Access.requireOperator(call);
        String queue = JobRules.requireName("queue", name);
        QueueManager audited = queues.as(call.audit(pause ? "PauseQueue" : "ResumeQueue"));
        if (pause) {
            audited.pause(queue, call.user().name());
        } else {
            audited.resume(queue);
        }
        call.redirect(Console.PATH + "queues");
    }
}
