package dev.conveyor.server.console;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobQuery;
import dev.conveyor.core.JobRules;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitQuota;
import dev.conveyor.rack.InvalidManifestException;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.validation.workflow.DeviceKind;
import dev.conveyor.validation.workflow.DeviceReport;
import dev.conveyor.validation.workflow.RackReport;
import dev.conveyor.validation.workflow.RackReports;
import dev.conveyor.validation.workflow.RackSubmission;
import dev.conveyor.validation.workflow.RackWorkflow;
import dev.conveyor.validation.workflow.ValidateOptions;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The racks under validation (parent jobs of type {@value RackWorkflow#TYPE}), a rack's grid of
 * devices, a device's failed checks, and the "validate rack" form, all through the rack workflow's
 * own API ({@link RackWorkflow}, {@link RackReports}).
 */
final class RackPages {
    static final int RACKS_SHOWN = 50;

    private final QueueManager queues;
    private final Function<ConsoleUser, SubmitQuota> quotas;
    private final RackReports reports;
    private final Templates templates;

    RackPages(QueueManager queues, Templates templates, Function<ConsoleUser, SubmitQuota> quotas) {
        this.queues = queues;
        this.quotas = quotas;
        this.reports = new RackReports(queues);
        this.templates = templates;
    }

    void list(Call call) throws IOException {
        list(call, 200, Map.of());
    }

    private void list(Call call, int status, Map<String, Object> form) throws IOException {
        List<JobSnapshot> racks = queues.list(new JobQuery(RackWorkflow.QUEUE, null, RackWorkflow.TYPE, null, null,
                null, null, null, RACKS_SHOWN, null)).jobs();
        Map<String, Object> model = call.model("racks");
        model.put("racks", racks);
        model.put("manifest", "");
        model.putAll(form);
        call.html(status, templates.render("racks.ftlh", model));
    }

    /** POST racks: the form's manifest becomes a workflow, or the form comes back with every problem. */
    void validate(Call call) throws IOException {
        Access.requireTechnician(call);
        Form form = call.form();
        String manifest = form.raw("manifest") == null ? "" : form.raw("manifest");
        try {
            if (manifest.isBlank()) {
                throw new InvalidRequestException("manifest", "is required: paste the rack manifest or choose its file");
            }
            Long inFlight = form.getLong("serversInFlight");
            // Out-of-range values are clamped just outside the range, so that the options name the rule.
            int serversInFlight = inFlight == null ? 0
                    : (int) Math.clamp(inFlight, -1L, JobRules.MAX_CONCURRENCY_LIMIT + 1L);
            ValidateOptions options = new ValidateOptions(null, serversInFlight, call.user().name(), null,
                    "true".equals(form.get("provision")));
            // Charged to the person's submit rate, as their ValidateRack calls are.
            RackSubmission submitted = new RackWorkflow(queues.as(call.audit("ValidateRack"))
                    .withQuota(quotas.apply(call.user())),
                    RackWorkflow.DEFAULT_SERVERS_IN_FLIGHT).validate(manifest, format(manifest, form.get("format")),
                    options);
            call.redirect(Console.PATH + "racks/" + submitted.parentJobId());
        } catch (InvalidManifestException e) {
            list(call, 400, Map.of("manifest", manifest, "problems", e.problems().stream()
                    .map(p -> p.path() + ": " + p.message()).toList()));
        } catch (InvalidRequestException e) {
            list(call, 400, Map.of("manifest", manifest, "problems", List.of(e.getMessage())));
        }
    }

    void show(Call call, long parentJobId) throws IOException {
        RackReport report = report(parentJobId);
        Map<String, Object> model = call.model("racks");
        model.put("rack", report);
        model.put("parent", queues.get(parentJobId));
        model.put("switches", report.devices().stream().filter(d -> d.kind() == DeviceKind.SWITCH).toList());
        // Top of the rack first, as a technician standing in front of it reads it.
        model.put("servers", report.devices().stream().filter(d -> d.kind() == DeviceKind.SERVER)
                .sorted(Comparator.comparingInt(DeviceReport::positionU).reversed()).toList());
        model.put("provisioning", report.devices().stream().filter(d -> d.kind() == DeviceKind.PROVISIONING)
                .sorted(Comparator.comparingInt(DeviceReport::positionU).reversed()).toList());
        model.put("jobIds", report.devices().stream().map(d -> Long.toString(d.jobId())).toList());
        call.html(200, templates.render("rack.ftlh", model));
    }

    void device(Call call, long parentJobId, long deviceJobId) throws IOException {
        RackReport report = report(parentJobId);
        DeviceReport device = report.devices().stream().filter(d -> d.jobId() == deviceJobId).findFirst()
                .orElseThrow(() -> new InvalidRequestException("device", "job " + deviceJobId
                        + " is not a device of rack validation " + parentJobId));
        Map<String, Object> model = call.model("racks");
        model.put("rack", report);
        model.put("device", device);
        model.put("job", queues.get(deviceJobId));
        model.put("events", queues.events(deviceJobId, 0, JobPages.MAX_EVENTS));
        call.html(200, templates.render("device.ftlh", model));
    }

    private RackReport report(long parentJobId) {
        JobSnapshot parent = queues.get(parentJobId);
        if (!parent.type().equals(RackWorkflow.TYPE)) {
            throw new InvalidRequestException("rack", "job " + parentJobId + " is a " + parent.type()
                    + " job, not a rack validation");
        }
        return reports.of(parentJobId);
    }

    /** As the form says, else by the text: a JSON manifest starts with a brace. */
    private static ManifestFormat format(String manifest, String chosen) {
        if (chosen == null || chosen.equals("auto")) {
            return manifest.stripLeading().startsWith("{") ? ManifestFormat.JSON : ManifestFormat.YAML;
        }
        return switch (chosen) {
            case "yaml" -> ManifestFormat.YAML;
            case "json" -> ManifestFormat.JSON;
            default -> throw new InvalidRequestException("format", "must be auto, yaml or json");
        };
    }
}
