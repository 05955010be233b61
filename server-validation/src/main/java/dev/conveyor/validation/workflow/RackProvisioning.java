package dev.conveyor.validation.workflow;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.QueueManager;
import dev.conveyor.device.CheckResult;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.Submitter;
import dev.conveyor.validation.provision.ProfileProvisioning;
import dev.conveyor.validation.provision.ProvisionRequest;
import dev.conveyor.validation.provision.ServerProvisionManager;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.rack.ServerSpec;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The "provision, then validate" part of a rack workflow: a server whose profile has a
 * {@code provisioning} block gets a provisioning job ({@value ServerProvisionManager#TYPE}) that
 * waits for the server's switches, shares the rack's concurrency key, and that the server's
 * validation waits for. A provisioning job that ends DEAD cancels the validation with the reason.
 */
final class RackProvisioning {
    /** The label that carries a provisioning job's rack unit, for the rack's grid. */
    static final String POSITION_LABEL = "position_u";
    private static final int MAX_EVENTS = 1000;

    private RackProvisioning() {
    }

    /** @throws InvalidRequestException when no profile of the manifest has anything to provision */
    static void requireSomething(RackManifest manifest) {
        boolean any = manifest.servers().stream()
                .anyMatch(s -> manifest.profileOf(s).map(p -> p.provisioning() != null).orElse(false));
        if (!any) {
            throw new InvalidRequestException("provision", "no server of rack " + manifest.rackId()
                    + " has a profile with a provisioning block: nothing to provision");
        }
    }

    /** Submits the server's provisioning job; null when its profile has no provisioning block. */
    static DeviceJob submit(Submitter submitter, String rackId, ServerSpec server, RackManifest manifest,
            long parentId, List<Long> dependsOn, int serversInFlight, ValidateOptions options) throws SQLException {
        Optional<ProvisionRequest> request = ProfileProvisioning.request(rackId, server,
                manifest.profileOf(server).orElseThrow());
        if (request.isEmpty()) {
            return null;
        }
        NewJob job = ServerProvisionManager.newJob(request.get())
                .labels(Map.of("rack", rackId, "device", server.serial(), POSITION_LABEL,
                        Integer.toString(server.positionU())))
                .parentId(parentId).createdBy(options.createdBy()).traceParent(options.traceParent())
                .dependsOn(dependsOn)
                .concurrency("rack:" + rackId, serversInFlight)
                .build();
        long id = submitter.submit(job).jobId();
        return new DeviceJob(server.serial(), DeviceKind.PROVISIONING, id, dependsOn);
    }

    static boolean isProvisioning(JobSnapshot job) {
        return job.type().equals(ServerProvisionManager.TYPE);
    }

    /** A provisioning job's row in the rack's grid: its failed step (the job's FAIL event of its last attempt) as a failed check. */
    static DeviceReport report(QueueManager queue, JobSnapshot job, String lastError) {
        List<CheckResult> failed = job.state() == JobState.SUCCEEDED ? List.of()
                : queue.events(job.id(), 0, MAX_EVENTS).stream()
                        .filter(e -> JobEventRecord.STEP.equals(e.kind()) && "FAIL".equals(e.statusCode())
                                && e.attempt() == job.attempt())
                        .map(e -> CheckResult.fail(e.step(), "", "", e.message())).toList();
        return new DeviceReport(job.labels().getOrDefault("device", ""), DeviceKind.PROVISIONING, positionU(job),
                job.id(), job.state(), failed, lastError);
    }

    static int positionU(JobSnapshot job) {
        try {
            return Integer.parseInt(job.labels().getOrDefault(POSITION_LABEL, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
