package dev.conveyor.tor.job;

import dev.conveyor.device.DeviceSteps;
import dev.conveyor.device.FencedWrite;
import dev.conveyor.core.Outcome;
import dev.conveyor.core.QueueManager;
import dev.conveyor.tor.driver.SwitchDriver;
import dev.conveyor.tor.driver.SwitchException;
import dev.conveyor.worker.JobContext;
import dev.conveyor.worker.JobHandler;
import java.net.URI;

/**
 * Runs a TOR starter job: reads the switch's plan, then {@link SwitchStarter} checks and configures
 * the switch. An unreachable switch (or one answering 5xx, or a breaker that is open) is retried
 * with the queue's backoff; a switch that is not as planned fails the job at once, with every
 * failed check written for the technician.
 */
public final class TorStarterHandler implements JobHandler {
    /** The circuit breaker shared by every call to a switch API in this process. */
    public static final String TARGET_SERVICE = "switch-eapi";

    private final QueueManager queue;
    private final TorStarterManager jobs;
    private final SwitchConnector connector;
    private final VerifySettings verify;

    public TorStarterHandler(QueueManager queue, SwitchConnector connector, VerifySettings verify) {
        this.queue = queue;
        this.jobs = new TorStarterManager(queue);
        this.connector = connector;
        this.verify = verify;
    }

    @Override
    public Outcome handle(JobContext context) throws Exception {
        SwitchJobSpec spec = jobs.get(context.jobId()).spec();
        DeviceSteps steps = new DeviceSteps(context, TARGET_SERVICE,
                e -> e instanceof SwitchException s && !s.retryable());
        URI endpoint = URI.create("https://" + spec.managementAddress());
        try (SwitchDriver driver = connector.open(endpoint, steps.listener())) {
            SwitchStarter.Verdict verdict = new SwitchStarter(spec, driver, steps, verify, context).run();
            TorStarterSql.TorStarterResults results = verdict.results();
            if (verdict.passed()) {
                return Outcome.succeeded(verdict.summary(),
                        c -> TorStarterSql.writeResults(c, context.jobId(), results));
            }
            // When the lease is lost nothing is written, and the pool drops this outcome as well.
            FencedWrite.run(queue, context.job().lease(), c -> TorStarterSql.writeResults(c, context.jobId(), results));
            return Outcome.failed(verdict.reason());
        }
    }
}
