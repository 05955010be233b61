package dev.conveyor.validation.provision;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.device.DeviceAccess;
import dev.conveyor.device.DeviceSteps;
import dev.conveyor.validation.job.ServerValidationHandler;
import dev.conveyor.validation.redfish.RedfishClient;
import dev.conveyor.validation.redfish.RedfishConfig;
import dev.conveyor.validation.redfish.RedfishException;
import dev.conveyor.validation.redfish.ServiceRoot;
import dev.conveyor.worker.JobContext;
import dev.conveyor.worker.JobHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a server provisioning job ({@value ServerProvisionManager#TYPE}): reads the request from the
 * payload, logs in to the BMC and lets {@link Provisioner} run the steps. Retry classification:
 * a BMC that is unreachable, times out or answers 5xx (or an open breaker) is retried with the
 * queue's backoff; a BMC that refuses (4xx), a failed update task, a reset that never completes, a
 * missing resource or a bad payload ends the job DEAD with the step and the reason.
 *
 * <p>The result is JSON: {@code {"server": serial, "steps": {"firmware-bios": "UNCHANGED", …}}}.
 */
public final class ServerProvisionHandler implements JobHandler {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PRIOR_EVENTS = 1000;

    private final QueueManager queue;
    private final DeviceAccess access;
    private final Duration pollInterval;

    public ServerProvisionHandler(QueueManager queue, DeviceAccess access) {
        this(queue, access, DEFAULT_POLL_INTERVAL);
    }

    /** @param pollInterval the pause between two reads of a running task or a resetting system */
    public ServerProvisionHandler(QueueManager queue, DeviceAccess access, Duration pollInterval) {
        this.queue = queue;
        this.access = access;
        this.pollInterval = pollInterval;
        new Waiter(pollInterval); // validates it now, not at the first poll
    }

    @Override
    public Outcome handle(JobContext context) throws Exception {
        ProvisionRequest request;
        try {
            request = ProvisionRequest.parse(context.payload());
        } catch (InvalidRequestException e) {
            context.event("request", "FAIL", null, e.getMessage());
            return Outcome.failed("bad provisioning request: " + e.getMessage());
        }
        DeviceSteps steps = new DeviceSteps(context, ServerValidationHandler.TARGET_SERVICE,
                e -> e instanceof RedfishException r && !r.retryable());
        RedfishConfig config = RedfishConfig.of(request.bmcUri(), access.credentials(), access.tls())
                .withTimeouts(access.connectTimeout(), access.requestTimeout());
        try (RedfishClient bmc = steps.call("bmc-reachable", () -> RedfishClient.connect(config, steps.listener()))) {
            ServiceRoot root = bmc.serviceRoot();
            steps.record("bmc-reachable", "OK", "Redfish " + root.redfishVersion()
                    + (root.vendor().isEmpty() ? "" : " from " + root.vendor()) + "; session opened");
            Provisioner provisioner = new Provisioner(request, bmc, steps, new LeaseGuard(queue, context),
                    new Waiter(pollInterval), changedBefore(context));
            Map<String, String> verdicts;
            try {
                verdicts = provisioner.run();
            } catch (ProvisionRefusedException e) {
                return Outcome.failed("server " + request.serial() + " not provisioned: " + e.getMessage());
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("server", request.serial());
            result.put("steps", verdicts);
            return Outcome.succeeded(JSON.writeValueAsBytes(result));
        }
    }

    /** Steps that an earlier attempt of this job recorded CHANGED: done on the device already. */
    private Set<String> changedBefore(JobContext context) {
        if (context.attempt() == 1) {
            return Set.of();
        }
        return queue.events(context.jobId(), 0, MAX_PRIOR_EVENTS).stream()
                .filter(e -> JobEventRecord.STEP.equals(e.kind()) && e.attempt() < context.attempt()
                        && StepVerdict.CHANGED.name().equals(e.statusCode()))
                .map(JobEventRecord::step).collect(Collectors.toSet());
    }
}
