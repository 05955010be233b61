package dev.conveyor.validation.workflow;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.JobPage;
import dev.conveyor.core.JobQuery;
import dev.conveyor.core.JobRules;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.JobState;
import dev.conveyor.core.QueueManager;
import dev.conveyor.tor.job.TorStarterManager;
import dev.conveyor.tor.job.TorStarterReport;
import dev.conveyor.validation.job.ServerValidationManager;
import dev.conveyor.validation.job.ServerValidationReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** Reads a rack validation's state: the parent job, and per device its job and failed checks. */
public final class RackReports {
    private static final Pattern RACK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    private final QueueManager queue;
    private final TorStarterManager switches;
    private final ServerValidationManager servers;

    public RackReports(QueueManager queue) {
        this.queue = queue;
        this.switches = new TorStarterManager(queue);
        this.servers = new ServerValidationManager(queue);
    }

    /** @throws UnknownRackException when the rack was never validated */
    public RackReport latest(String rackId) {
        if (rackId == null || !RACK_ID.matcher(rackId).matches()) {
            throw new InvalidRequestException("rack_id", "must be 1-63 letters, digits, '-' or '_'");
        }
        List<JobSnapshot> parents = queue.list(new JobQuery(RackWorkflow.QUEUE, null, RackWorkflow.TYPE, null, null,
                "rack", rackId, null, 1, null)).jobs();
        if (parents.isEmpty()) {
            throw new UnknownRackException(rackId);
        }
        return of(parents.getFirst());
    }

    /** @throws JobNotFoundException when there is no such job */
    public RackReport of(long parentJobId) {
        return of(queue.get(parentJobId));
    }

    private RackReport of(JobSnapshot parent) {
        List<DeviceReport> devices = new ArrayList<>();
        for (JobSnapshot child : children(queue, parent.id())) {
            if (child.type().equals(TorStarterManager.TYPE)) {
                TorStarterReport sw = switches.get(child.id());
                devices.add(new DeviceReport(sw.job().getHostname(), DeviceKind.SWITCH, 0, child.id(), child.state(),
                        sw.failedChecks(), lastError(child)));
            } else if (child.type().equals(ServerValidationManager.TYPE)) {
                ServerValidationReport server = servers.get(child.id());
                devices.add(new DeviceReport(server.job().getSerial(), DeviceKind.SERVER, server.job().getPositionU(),
                        child.id(), child.state(), server.failedChecks(), lastError(child)));
            } else if (RackProvisioning.isProvisioning(child)) {
                devices.add(RackProvisioning.report(queue, child, lastError(child)));
            }
        }
        devices.sort(Comparator.comparing(DeviceReport::kind).thenComparing(DeviceReport::positionU)
                .thenComparing(DeviceReport::jobId));
        return new RackReport(parent.labels().getOrDefault("rack", ""), parent.id(), parent.state(), devices);
    }

    private static String lastError(JobSnapshot job) {
        return job.state() == JobState.SUCCEEDED || job.lastError() == null ? "" : job.lastError();
    }

    /** Every child of a parent job, oldest first. */
    static List<JobSnapshot> children(QueueManager queue, long parentId) {
        List<JobSnapshot> all = new ArrayList<>();
        Long before = null;
        do {
            JobPage page = queue.list(new JobQuery(null, null, null, null, null, null, null, parentId,
                    JobRules.MAX_PAGE_SIZE, before));
            all.addAll(page.jobs());
            before = page.nextBeforeId();
        } while (before != null);
        all.sort(Comparator.comparingLong(JobSnapshot::id));
        return all;
    }
}
