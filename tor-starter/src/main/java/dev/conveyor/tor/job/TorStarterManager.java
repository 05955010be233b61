package dev.conveyor.tor.job;

import dev.conveyor.device.DeviceQueues;
import dev.conveyor.core.JobExtension;
import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitResult;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/**
 * Submits TOR starter jobs and reads them back with their components. A switch job is a base job
 * of type {@value #TYPE} plus its {@code tor_starter_job} row and planned cables, inserted in the
 * same transaction.
 */
public final class TorStarterManager {
    public static final String TYPE = "tor_starter";
    /** The queue of every datacenter job; one worker pool serves the families together. */
    public static final String QUEUE = DeviceQueues.DATACENTER;
    /** Attempts of a switch job: unreachable switches get a few tries, spaced by the queue's backoff. */
    public static final int MAX_ATTEMPTS = 5;

    private final QueueManager queue;

    public TorStarterManager(QueueManager queue) {
        this.queue = queue;
    }

    /** Submits one switch job on its own. */
    public SubmitResult submit(SwitchJobSpec spec) {
        return queue.submit(newJob(spec).build(), extension(spec));
    }

    /**
     * The base job of a switch, for callers that add their own settings (a parent, an idempotency
     * key) before submitting it with {@link #extension}. Two jobs for the same switch never run at
     * once: one configuration session at a time.
     */
    public static NewJob.Builder newJob(SwitchJobSpec spec) {
        return NewJob.builder(QUEUE, TYPE)
                .maxAttempts(MAX_ATTEMPTS)
                .labels(Map.of("rack", spec.rack(), "device", spec.hostname()))
                .concurrency("switch:" + spec.serial(), 1);
    }

    /** The family's rows of a switch job, written once its id is known. */
    public static JobExtension extension(SwitchJobSpec spec) {
        return (connection, jobId) -> TorStarterSql.insertJob(connection, jobId, spec);
    }

    /**
     * A switch job with its cables, fans, power supplies and checks.
     *
     * @throws JobNotFoundException when there is no TOR starter job with this id
     */
    public TorStarterReport get(long jobId) {
        try (Session s = queue.database().sessionFactory().openSession()) {
            TorStarterJob job = s.find(TorStarterJob.class, jobId);
            if (job == null) {
                throw new JobNotFoundException(jobId);
            }
            return new TorStarterReport(job,
                    rows(s, "from TorUplink where jobId = :id order by id", TorUplink.class, jobId),
                    rows(s, "from TorFan where jobId = :id order by id", TorFan.class, jobId),
                    rows(s, "from TorPowerSupply where jobId = :id order by id", TorPowerSupply.class, jobId),
                    rows(s, "from TorCheck where jobId = :id order by seq", TorCheck.class, jobId).stream()
                            .map(TorCheck::toResult).toList());
        }
    }

    private static <T> List<T> rows(Session s, String hql, Class<T> type, long jobId) {
        return s.createSelectionQuery(hql, type).setParameter("id", jobId).getResultList();
    }
}
