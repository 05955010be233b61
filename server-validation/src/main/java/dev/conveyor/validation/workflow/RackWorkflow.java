package dev.conveyor.validation.workflow;

import dev.conveyor.device.DeviceQueues;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitResult;
import dev.conveyor.tor.job.PlannedCable;
import dev.conveyor.tor.job.SwitchJobSpec;
import dev.conveyor.tor.job.TorStarterManager;
import dev.conveyor.validation.job.ServerValidationManager;
import dev.conveyor.rack.InvalidManifestException;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.rack.ManifestValidator;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.rack.ServerSpec;
import dev.conveyor.rack.SwitchSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a rack manifest into a workflow, in one transaction: a parent job of type {@value #TYPE}
 * that waits for its children, a TOR starter job per switch, and a server validation job per
 * server that depends on the jobs of the switches it is cabled to (all of the rack's switches when
 * the manifest does not say). The servers of a rack share the concurrency key {@code rack:<id>},
 * so at most a configured number of them are validated at once. Either every job is created or
 * none is; a manifest with any problem creates nothing. With "provision, then validate"
 * ({@link ValidateOptions#provision()}) a server whose profile has a provisioning block gets a
 * provisioning job first ({@link RackProvisioning}), and its validation waits for that job.
 */
public final class RackWorkflow {
    public static final String TYPE = "rack_validation";
    public static final String QUEUE = DeviceQueues.DATACENTER;
    public static final int DEFAULT_SERVERS_IN_FLIGHT = 4;

    private final QueueManager queue;
    private final int defaultServersInFlight;

    public RackWorkflow(QueueManager queue, int defaultServersInFlight) {
        if (defaultServersInFlight < 1) {
            throw new IllegalArgumentException("defaultServersInFlight must be positive, was " + defaultServersInFlight);
        }
        this.queue = queue;
        this.defaultServersInFlight = defaultServersInFlight;
    }

    public QueueManager queue() {
        return queue;
    }

    /** The same workflow on {@code queue}, such as the queue as an audited caller ({@code QueueManager.as}). */
    public RackWorkflow as(QueueManager queue) {
        return queue == this.queue ? this : new RackWorkflow(queue, defaultServersInFlight);
    }

    /** @throws InvalidManifestException listing every problem of the manifest; nothing was created */
    public RackSubmission validate(String manifestText, ManifestFormat format, ValidateOptions options) {
        return validate(ManifestCodec.parse(manifestText, format), options);
    }

    /** @throws InvalidManifestException listing every problem of the manifest; nothing was created */
    public RackSubmission validate(RackManifest manifest, ValidateOptions options) {
        RackManifest m = ManifestValidator.requireValid(manifest);
        String rackId = m.rackId();
        if (options.provision()) {
            RackProvisioning.requireSomething(m);
        }
        int serversInFlight = options.serversInFlight() == 0 ? defaultServersInFlight : options.serversInFlight();
        NewJob parentJob = NewJob.builder(QUEUE, TYPE)
                .awaitChildren(true)
                // The manifest is the request: the same request id with another manifest is a conflict.
                .payload(ManifestCodec.write(m, ManifestFormat.JSON).getBytes(StandardCharsets.UTF_8),
                        "application/json")
                .labels(Map.of("rack", rackId))
                .idempotencyKey(options.requestId() == null ? null
                        : (options.provision() ? "rack-provision/" : "rack-validation/") + rackId + "/"
                                + options.requestId())
                .createdBy(options.createdBy())
                .traceParent(options.traceParent())
                .build();
        RackSubmission submitted = queue.inSubmitTransaction(submitter -> {
            SubmitResult parent = submitter.submit(parentJob);
            if (parent.deduplicated()) {
                return new RackSubmission(rackId, parent.jobId(), List.of(), true);
            }
            List<DeviceJob> devices = new ArrayList<>();
            Map<String, Long> switchJobs = new LinkedHashMap<>();
            for (SwitchSpec sw : m.switches()) {
                SwitchJobSpec spec = switchJob(rackId, sw);
                long id = submitter.submit(child(TorStarterManager.newJob(spec), parent.jobId(), options).build(),
                        TorStarterManager.extension(spec)).jobId();
                switchJobs.put(sw.hostname(), id);
                devices.add(new DeviceJob(sw.hostname(), DeviceKind.SWITCH, id, List.of()));
            }
            for (ServerSpec server : m.servers()) {
                List<Long> dependsOn = m.switchesCabledTo(server).stream().map(sw -> switchJobs.get(sw.hostname()))
                        .toList();
                if (dependsOn.isEmpty()) {
                    dependsOn = List.copyOf(switchJobs.values());
                }
                if (options.provision()) {
                    DeviceJob provisioning = RackProvisioning.submit(submitter, rackId, server, m, parent.jobId(),
                            dependsOn, serversInFlight, options);
                    if (provisioning != null) {
                        devices.add(provisioning);
                        dependsOn = List.of(provisioning.jobId());
                    }
                }
                NewJob job = child(ServerValidationManager.newJob(rackId, server), parent.jobId(), options)
                        .dependsOn(dependsOn)
                        .concurrency("rack:" + rackId, serversInFlight)
                        .build();
                long id = submitter.submit(job, ServerValidationManager.extension(rackId, server,
                        m.profileOf(server).orElseThrow())).jobId();
                devices.add(new DeviceJob(server.serial(), DeviceKind.SERVER, id, dependsOn));
            }
            return new RackSubmission(rackId, parent.jobId(), devices, false);
        });
        return submitted.deduplicated() ? existing(submitted) : submitted;
    }

    private static NewJob.Builder child(NewJob.Builder job, long parentId, ValidateOptions options) {
        return job.parentId(parentId).createdBy(options.createdBy()).traceParent(options.traceParent());
    }

    static SwitchJobSpec switchJob(String rackId, SwitchSpec sw) {
        return new SwitchJobSpec(rackId, sw.hostname(), sw.managementAddress(), sw.serial(), sw.model(), sw.osVersion(),
                sw.role(), sw.cabling().stream().map(c -> new PlannedCable(c.port(), c.neighbor(), c.neighborPort()))
                        .toList(),
                sw.config().template(), sw.config().variables(), sw.bgpPeers());
    }

    /** The devices of a validation created by an earlier, identical request. */
    private RackSubmission existing(RackSubmission deduplicated) {
        List<DeviceJob> devices = new ArrayList<>();
        for (JobSnapshot child : RackReports.children(queue, deduplicated.parentJobId())) {
            DeviceKind kind = child.type().equals(TorStarterManager.TYPE) ? DeviceKind.SWITCH
                    : RackProvisioning.isProvisioning(child) ? DeviceKind.PROVISIONING : DeviceKind.SERVER;
            devices.add(new DeviceJob(child.labels().getOrDefault("device", ""), kind, child.id(),
                    queue.dependencies(child.id())));
        }
        return new RackSubmission(deduplicated.rackId(), deduplicated.parentJobId(), devices, true);
    }
}
