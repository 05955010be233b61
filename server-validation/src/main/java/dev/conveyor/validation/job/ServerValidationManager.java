package dev.conveyor.validation.job;

import dev.conveyor.device.DeviceQueues;
import dev.conveyor.core.JobExtension;
import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitResult;
import dev.conveyor.rack.HardwareProfile;
import dev.conveyor.rack.ServerSpec;
import java.util.Map;
import org.hibernate.Session;

/**
 * Submits server validation jobs and reads them back with their checks. A server job is a base
 * job of type {@value #TYPE} plus its {@code server_validation_job} row, inserted in the same
 * transaction.
 */
public final class ServerValidationManager {
    public static final String TYPE = "server_validation";
    /** The datacenter queue, shared with the TOR starter family. */
    public static final String QUEUE = DeviceQueues.DATACENTER;
    /** Attempts of a server job: a BMC that is rebooting or busy gets a few tries. */
    public static final int MAX_ATTEMPTS = 5;

    private final QueueManager queue;

    public ServerValidationManager(QueueManager queue) {
        this.queue = queue;
    }

    /** Submits one server job on its own. */
    public SubmitResult submit(String rack, ServerSpec server, HardwareProfile profile) {
        return queue.submit(newJob(rack, server).build(), extension(rack, server, profile));
    }

    /** The base job of a server, for callers that add a parent, dependencies or a concurrency key. */
    public static NewJob.Builder newJob(String rack, ServerSpec server) {
        return NewJob.builder(QUEUE, TYPE)
                .maxAttempts(MAX_ATTEMPTS)
                .labels(Map.of("rack", rack, "device", server.serial()));
    }

    /** The family's row of a server job, written once its id is known. */
    public static JobExtension extension(String rack, ServerSpec server, HardwareProfile profile) {
        return (connection, jobId) -> ServerValidationSql.insertJob(connection, jobId, rack, server, profile);
    }

    /**
     * A server job with the checks of its last attempt.
     *
     * @throws JobNotFoundException when there is no server validation job with this id
     */
    public ServerValidationReport get(long jobId) {
        try (Session s = queue.database().sessionFactory().openSession()) {
            ServerValidationJob job = s.find(ServerValidationJob.class, jobId);
            if (job == null) {
                throw new JobNotFoundException(jobId);
            }
            return new ServerValidationReport(job, s.createSelectionQuery(
                            "from ServerCheck where jobId = :id order by seq", ServerCheck.class)
                    .setParameter("id", jobId).getResultList().stream().map(ServerCheck::toResult).toList());
        }
    }
}
