package dev.conveyor.validation.provision;

import dev.conveyor.device.DeviceQueues;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.SubmitResult;
import java.util.HashMap;
import java.util.Map;

/**
 * Submits server provisioning jobs: a base job of type {@value #TYPE} whose payload is a
 * {@link ProvisionRequest} (JSON). No table of its own: the steps and their verdicts are the job's
 * events, and the job's result says what each step did. gRPC clients submit the same job with
 * {@code SubmitJob} (queue {@value #QUEUE}, type {@value #TYPE}, the JSON payload).
 */
public final class ServerProvisionManager {
    public static final String TYPE = "server_provision";
    /** The datacenter queue, shared with the rest of the family. */
    public static final String QUEUE = DeviceQueues.DATACENTER;
    /** Attempts of a provisioning job: a BMC that is rebooting or busy gets a few tries. */
    public static final int MAX_ATTEMPTS = 5;
    public static final String CONTENT_TYPE = "application/json";

    private final QueueManager queue;

    public ServerProvisionManager(QueueManager queue) {
        this.queue = queue;
    }

    /**
     * Submits one provisioning job on its own.
     *
     * @throws dev.conveyor.core.InvalidRequestException naming the field of the request that is wrong
     */
    public SubmitResult submit(ProvisionRequest request) {
        return queue.submit(newJob(request).build());
    }

    /** The job of a request, for callers that add a parent, dependencies or a concurrency key. */
    public static NewJob.Builder newJob(ProvisionRequest request) {
        request.validate();
        Map<String, String> labels = new HashMap<>();
        labels.put("device", request.serial());
        if (request.rack() != null) {
            labels.put("rack", request.rack());
        }
        return NewJob.builder(QUEUE, TYPE)
                .maxAttempts(MAX_ATTEMPTS)
                .payload(request.toJson(), CONTENT_TYPE)
                .labels(labels);
    }
}
