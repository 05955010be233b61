package dev.conveyor.validation.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.device.CheckResult;
import dev.conveyor.worker.JobContext;
import dev.conveyor.worker.JobHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a rack validation's parent once every device job has ended, and gives it the rack's verdict
 * ({@link RackVerdict}): a rack whose devices all passed SUCCEEDS with the summary as its result
 * (JSON: the verdict, the counts, per device its state, failed checks with expected and observed
 * values, and why it did not succeed); a rack with a failed device FAILS (DEAD), its reason naming
 * the failed devices. Either way the summary is the parent's {@code summary} event.
 *
 * <p>Why the parent fails: a green parent beside failed devices told every generic reader of the
 * queue (the job list, {@code conveyor watch}, a script that waits on the job) that the rack passed.
 * The per-device detail a failed job cannot keep as its result is not lost: it is the device jobs'
 * own, which {@code rack status} and the console read. After fixing and retrying the failed device
 * jobs, a retry of the parent judges the rack again.
 */
public final class RackSummaryHandler implements JobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RackReports reports;

    public RackSummaryHandler(QueueManager queue) {
        this.reports = new RackReports(queue);
    }

    @Override
    public Outcome handle(JobContext context) throws JsonProcessingException {
        RackReport report = reports.of(context.jobId());
        List<String> failed = report.devices().stream().filter(d -> !d.passed()).map(DeviceReport::device).toList();
        String line = failed.isEmpty()
                ? "all " + report.devices().size() + " devices of rack " + report.rackId() + " passed"
                : failed.size() + " of " + report.devices().size() + " devices failed: " + String.join(", ", failed);
        context.event("summary", failed.isEmpty() ? "PASS" : "FAIL", null, line);
        return failed.isEmpty() ? Outcome.succeeded(JSON.writeValueAsBytes(summary(report)))
                : Outcome.failed("rack " + report.rackId() + " FAILED: " + line);
    }

    static Map<String, Object> summary(RackReport report) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rack", report.rackId());
        summary.put("verdict", report.verdict().name());
        summary.put("passed", report.passed());
        summary.put("failed", report.failed());
        summary.put("devices", report.devices().stream().map(RackSummaryHandler::device).toList());
        return summary;
    }

    private static Map<String, Object> device(DeviceReport d) {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("device", d.device());
        device.put("kind", d.kind().name());
        if (d.kind() == DeviceKind.SERVER) {
            device.put("positionU", d.positionU());
        }
        device.put("jobId", d.jobId());
        device.put("state", d.state().name());
        device.put("failedChecks", d.failedChecks().stream().map(RackSummaryHandler::check)
                .collect(Collectors.toList()));
        if (!d.lastError().isEmpty()) {
            device.put("lastError", d.lastError());
        }
        return device;
    }

    private static Map<String, String> check(CheckResult c) {
        Map<String, String> check = new LinkedHashMap<>();
        check.put("check", c.name());
        check.put("expected", c.expected());
        check.put("observed", c.observed());
        check.put("message", c.message());
        return check;
    }
}
