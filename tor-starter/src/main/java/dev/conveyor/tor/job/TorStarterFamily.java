package dev.conveyor.tor.job;

import dev.conveyor.device.DeviceAccess;
import dev.conveyor.family.JobFamily;
import dev.conveyor.worker.HandlerContext;
import dev.conveyor.worker.JobHandler;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TOR starter family: switch jobs ({@value TorStarterManager#TYPE}) in queue
 * {@value TorStarterManager#QUEUE}, their tables ({@code classpath:db/tor}), and their handler.
 *
 * <p>Switch credentials come from the environment ({@code CONVEYOR_SWITCH_USERNAME},
 * {@code CONVEYOR_SWITCH_PASSWORD_FILE}, {@code CONVEYOR_SWITCH_CA_FILE}; see
 * {@link DeviceAccess#fromEnvironment}). A worker without them serves no switch jobs and says so.
 */
public final class TorStarterFamily implements JobFamily {
    public static final String ENV_PREFIX = "CONVEYOR_SWITCH";
    private static final Logger log = LoggerFactory.getLogger(TorStarterFamily.class);

    @Override
    public String name() {
        return "tor-starter";
    }

    @Override
    public List<Class<?>> entityClasses() {
        return List.of(TorStarterJob.class, TorUplink.class, TorFan.class, TorPowerSupply.class, TorCheck.class);
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/tor";
    }

    @Override
    public Map<String, JobHandler> handlers(HandlerContext context) {
        Map<String, String> env = System.getenv();
        if (!DeviceAccess.configured(ENV_PREFIX, env)) {
            log.info("{} jobs are not served by this worker: {}_USERNAME is not set", TorStarterManager.TYPE, ENV_PREFIX);
            return Map.of();
        }
        DeviceAccess access = DeviceAccess.fromEnvironment(ENV_PREFIX, env);
        return Map.of(TorStarterManager.TYPE, new TorStarterHandler(context.queueManager(),
                SwitchConnector.eapi(access), VerifySettings.DEFAULTS));
    }
}
