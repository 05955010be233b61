package dev.conveyor.server.console;

import dev.conveyor.core.IllegalJobStateException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.JobPage;
import dev.conveyor.core.JobQuery;
import dev.conveyor.core.JobRules;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.QueueManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The job list with its filters and keyset pages; a job's page; cancel and retry. */
final class JobPages {
    /** The events a job's page shows: its whole history for any job a person would read. */
    static final int MAX_EVENTS = JobRules.MAX_PAGE_SIZE;
    /** Dependencies are few by construction (a server's switches); their states are read one by one. */
    private static final int MAX_DEPENDENCIES_SHOWN = 50;

    private final QueueManager queues;
    private final Templates templates;

    JobPages(QueueManager queues, Templates templates) {
        this.queues = queues;
        this.templates = templates;
    }

    void list(Call call) throws IOException {
        Map<String, Object> model = call.model("jobs");
        model.put("states", Arrays.asList(JobState.values()));
        JobFilter filter = JobFilter.of(call.query());
        model.put("filter", filter);
        JobPage page;
        try {
            page = queues.list(filter.toQuery());
        } catch (InvalidRequestException bad) {
            model.put("error", bad.getMessage());
            model.put("jobs", List.of());
            call.html(400, templates.render("jobs.ftlh", model));
            return;
        }
        model.put("jobs", page.jobs());
        model.put("firstPage", filter.link(null));
        if (page.nextBeforeId() != null) {
            model.put("nextPage", filter.link(page.nextBeforeId()));
        }
        call.html(200, templates.render("jobs.ftlh", model));
    }

    void show(Call call, long jobId) throws IOException {
        show(call, jobId, 200, null);
    }

    private void show(Call call, long jobId, int status, String error) throws IOException {
        JobSnapshot job = queues.get(jobId);
        List<JobEventRecord> events = queues.events(jobId, 0, MAX_EVENTS);
        JobPage children = queues.list(new JobQuery(null, null, null, null, null, null, null, jobId,
                JobRules.MAX_PAGE_SIZE, null));
        Map<String, Object> model = call.model("jobs");
        model.put("job", job);
        model.put("events", events);
        model.put("children", children.jobs());
        model.put("moreChildren", children.nextBeforeId() != null);
        model.put("dependencies", dependencies(jobId));
        model.put("cancellable", !job.state().isTerminal());
        model.put("retryable", job.state() == JobState.DEAD || job.state() == JobState.CANCELLED);
        if (error != null) {
            model.put("error", error);
        }
        call.html(status, templates.render("job.ftlh", model));
    }

    void cancel(Call call, long jobId) throws IOException {
        Access.requireOperator(call);
        try {
            queues.as(call.audit("CancelJob")).cancel(jobId, "from the web console", call.user().name());
        } catch (IllegalJobStateException e) {
            show(call, jobId, 409, "Not cancelled: " + e.getMessage());
            return;
        }
        call.redirect(Console.PATH + "jobs/" + jobId);
    }

    void retry(Call call, long jobId) throws IOException {
        Access.requireOperator(call);
        try {
            queues.as(call.audit("RetryJob")).retry(jobId, call.user().name());
        } catch (IllegalJobStateException e) {
            show(call, jobId, 409, "Not retried: " + e.getMessage());
            return;
        }
        call.redirect(Console.PATH + "jobs/" + jobId);
    }

    /** The jobs this one waits for, with their states; one pruned since is shown without. */
    private List<Dependency> dependencies(long jobId) {
        List<Dependency> out = new ArrayList<>();
        for (long id : queues.dependencies(jobId).stream().limit(MAX_DEPENDENCIES_SHOWN).toList()) {
            try {
                JobSnapshot dependency = queues.get(id);
                out.add(new Dependency(id, dependency.type(), dependency.state().name(),
                        dependency.labels().getOrDefault("device", "")));
            } catch (JobNotFoundException pruned) {
                out.add(new Dependency(id, "", "PRUNED", ""));
            }
        }
        return out;
    }

    /** A job that another waits for, as its page lists it. */
    public record Dependency(long id, String type, String state, String device) {
    }
}
