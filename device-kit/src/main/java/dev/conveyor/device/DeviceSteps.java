package dev.conveyor.device;

import dev.conveyor.worker.JobContext;
import dev.conveyor.worker.NonRetryableException;
import dev.conveyor.worker.OutboundCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Runs a handler's requests to one device and writes its history: every request goes through the
 * target service's circuit breaker and bounded retry ({@link JobContext#outbound}), and each step
 * becomes one job event that names the requests it was based on ({@code POST https://… (show
 * version) → 200}), so a technician sees exactly what was asked and answered.
 *
 * <p>Used by one handler thread; the device client reports its exchanges on that same thread.
 */
public final class DeviceSteps {
    private static final int MAX_COMMAND_CHARS = 4000;

    private final JobContext context;
    private final OutboundCall outbound;
    private final Predicate<Exception> permanent;
    /** Requests made since the last recorded step. */
    private final List<String> requests = new ArrayList<>();

    /**
     * @param targetService the breaker's name, one per kind of device API (e.g. {@code switch-eapi})
     * @param permanent     failures that retrying cannot fix; they fail the job at once
     */
    public DeviceSteps(JobContext context, String targetService, Predicate<Exception> permanent) {
        this.context = context;
        this.outbound = context.outbound(targetService);
        this.permanent = permanent;
    }

    /** Give this to the device client: it notes each request for the next recorded step. */
    public ExchangeListener listener() {
        return this::heard;
    }

    private void heard(Exchange exchange) {
        requests.add(exchange.summary());
    }

    /**
     * Makes one guarded request. A failure is recorded as the step's event and rethrown: permanent
     * ones as {@link NonRetryableException}, the rest as they are, for the job to be retried later.
     */
    public <T> T call(String step, Callable<T> request) throws Exception {
        try {
            return outbound.call(() -> {
                try {
                    return request.call();
                } catch (Exception e) {
                    if (permanent.test(e)) {
                        throw new NonRetryableException(e.getMessage(), e);
                    }
                    throw e;
                }
            });
        } catch (NonRetryableException e) {
            record(step, "ERROR", "the device refused or answered wrongly: " + e.getMessage());
            throw e;
        } catch (Exception e) {
            record(step, "UNAVAILABLE", "device unavailable, will retry: " + e.getMessage());
            throw e;
        }
    }

    /** Records a step's verdict with the requests made since the previous step. */
    public void record(String step, String statusCode, String message) {
        String command = requests.isEmpty() ? null : String.join("\n", requests);
        if (command != null && command.length() > MAX_COMMAND_CHARS) {
            command = command.substring(0, MAX_COMMAND_CHARS - 1) + "…";
        }
        requests.clear();
        context.event(step, statusCode, command, message);
    }

    /** Records a check as its step: PASS, FAIL or SKIPPED, with expected and observed. */
    public void record(CheckResult check) {
        record(check.name(), check.status().name(), check.failed() || check.status() == CheckStatus.SKIPPED
                ? check.describe() : "ok: " + check.observed());
    }
}
