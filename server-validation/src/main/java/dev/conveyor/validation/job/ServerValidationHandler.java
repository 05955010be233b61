package dev.conveyor.validation.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.device.CheckResult;
import dev.conveyor.device.DeviceAccess;
import dev.conveyor.device.DeviceSteps;
import dev.conveyor.device.FencedWrite;
import dev.conveyor.validation.redfish.RedfishClient;
import dev.conveyor.validation.redfish.RedfishConfig;
import dev.conveyor.validation.redfish.RedfishException;
import dev.conveyor.validation.redfish.ServiceRoot;
import dev.conveyor.worker.JobContext;
import dev.conveyor.worker.JobHandler;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a server validation job: reaches the BMC's service root (logging in with a Redfish
 * session), then {@link ServerValidator} runs the checks. An unreachable or erroring BMC (or an open
 * breaker) is retried with the queue's backoff; a failed check fails the job at once, naming every
 * failed check, with all checks written for the technician.
 */
public final class ServerValidationHandler implements JobHandler {
    /** The circuit breaker shared by every call to a BMC in this process. */
    public static final String TARGET_SERVICE = "bmc-redfish";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueueManager queue;
    private final ServerValidationManager jobs;
    private final DeviceAccess access;

    public ServerValidationHandler(QueueManager queue, DeviceAccess access) {
        this.queue = queue;
        this.jobs = new ServerValidationManager(queue);
        this.access = access;
    }

    @Override
    public Outcome handle(JobContext context) throws Exception {
        ServerValidationJob spec = jobs.get(context.jobId()).job();
        DeviceSteps steps = new DeviceSteps(context, TARGET_SERVICE,
                e -> e instanceof RedfishException r && !r.retryable());
        RedfishConfig config = RedfishConfig.of(URI.create("https://" + spec.getBmcAddress()), access.credentials(),
                access.tls()).withTimeouts(access.connectTimeout(), access.requestTimeout());
        try (RedfishClient bmc = steps.call("bmc-reachable", () -> RedfishClient.connect(config, steps.listener()))) {
            ServiceRoot root = bmc.serviceRoot();
            steps.record("bmc-reachable", "OK", "Redfish " + root.redfishVersion()
                    + (root.vendor().isEmpty() ? "" : " from " + root.vendor()) + "; session opened");
            List<CheckResult> checks = new ServerValidator(spec, bmc, steps, context.job().createdAt()).run();
            List<CheckResult> failed = checks.stream().filter(CheckResult::failed).toList();
            if (failed.isEmpty()) {
                byte[] summary = JSON.writeValueAsBytes(Map.of("server", spec.getSerial(), "checks", checks.size()));
                return Outcome.succeeded(summary, c -> ServerValidationSql.writeChecks(c, context.jobId(), checks));
            }
            // When the lease is lost nothing is written, and the pool drops this outcome as well.
            FencedWrite.run(queue, context.job().lease(), c -> ServerValidationSql.writeChecks(c, context.jobId(), checks));
            return Outcome.failed("server " + spec.getSerial() + " (U" + spec.getPositionU() + ") failed "
                    + failed.size() + (failed.size() == 1 ? " check: " : " checks: ")
                    + failed.stream().map(CheckResult::describe).collect(Collectors.joining("; ")));
        }
    }
}
