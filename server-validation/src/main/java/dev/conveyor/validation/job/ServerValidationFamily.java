package dev.conveyor.validation.job;

import dev.conveyor.family.FamilyContext;
import dev.conveyor.family.JobFamily;
import dev.conveyor.device.DeviceAccess;
import dev.conveyor.validation.provision.ServerProvisionHandler;
import dev.conveyor.validation.provision.ServerProvisionManager;
import dev.conveyor.validation.workflow.RackCommand;
import dev.conveyor.validation.workflow.RackGrpcService;
import dev.conveyor.validation.workflow.RackSummaryHandler;
import dev.conveyor.validation.workflow.RackWorkflow;
import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.JobHandler;
import io.grpc.BindableService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server validation family: server jobs ({@value ServerValidationManager#TYPE}), server
 * provisioning jobs ({@value ServerProvisionManager#TYPE}), the rack
 * workflow's parent jobs ({@value RackWorkflow#TYPE}), their tables
 * ({@code classpath:db/server_validation}), their handlers, {@code RackService}, and the
 * {@code conveyor rack} commands.
 *
 * <p>BMC credentials come from the environment ({@code CONVEYOR_BMC_USERNAME},
 * {@code CONVEYOR_BMC_PASSWORD_FILE}, {@code CONVEYOR_BMC_CA_FILE}; see
 * {@link DeviceAccess#fromEnvironment}). A worker without them serves no server jobs and says so;
 * rack summaries need no device and are always served.
 */
public final class ServerValidationFamily implements JobFamily {
    public static final String ENV_PREFIX = "CONVEYOR_BMC";
    public static final String SERVERS_IN_FLIGHT_ENV = "CONVEYOR_RACK_SERVERS_IN_FLIGHT";
    private static final Logger log = LoggerFactory.getLogger(ServerValidationFamily.class);

    @Override
    public String name() {
        return "server-validation";
    }

    @Override
    public List<Class<?>> entityClasses() {
        return List.of(ServerValidationJob.class, ServerCheck.class);
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/server_validation";
    }

    @Override
    public Map<String, JobHandler> handlers(HandlerContext context) {
        Map<String, JobHandler> handlers = new HashMap<>();
        handlers.put(RackWorkflow.TYPE, new RackSummaryHandler(context.queueManager()));
        Map<String, String> env = System.getenv();
        if (DeviceAccess.configured(ENV_PREFIX, env)) {
            DeviceAccess access = DeviceAccess.fromEnvironment(ENV_PREFIX, env);
            handlers.put(ServerValidationManager.TYPE, new ServerValidationHandler(context.queueManager(), access));
            handlers.put(ServerProvisionManager.TYPE, new ServerProvisionHandler(context.queueManager(), access));
        } else {
            log.info("{} and {} jobs are not served by this worker: {}_USERNAME is not set",
                    ServerValidationManager.TYPE, ServerProvisionManager.TYPE, ENV_PREFIX);
        }
        return Map.copyOf(handlers);
    }

    /**
     * {@code RackService}; {@code CONVEYOR_RACK_SERVERS_IN_FLIGHT} sets how many servers of a rack
     * are validated at once when a request does not say (default
     * {@value RackWorkflow#DEFAULT_SERVERS_IN_FLIGHT}).
     */
    @Override
    public List<BindableService> services(FamilyContext context) {
        return List.of(new RackGrpcService(new RackWorkflow(context.queueManager(), serversInFlight(System.getenv())),
                context.caller()));
    }

    static int serversInFlight(Map<String, String> env) {
        String value = env.get(SERVERS_IN_FLIGHT_ENV);
        if (value == null || value.isBlank()) {
            return RackWorkflow.DEFAULT_SERVERS_IN_FLIGHT;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the variable's name
        }
        throw new IllegalStateException(SERVERS_IN_FLIGHT_ENV + " must be a positive whole number, was " + value);
    }

    @Override
    public List<Object> cliCommands() {
        return List.of(new RackCommand());
    }
}
