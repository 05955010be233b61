package dev.conveyor.tor.job;

import dev.conveyor.device.DeviceAccess;
import dev.conveyor.tor.driver.EapiConfig;
import dev.conveyor.tor.driver.EapiSwitchDriver;
import dev.conveyor.device.ExchangeListener;
import dev.conveyor.tor.driver.SwitchDriver;
import java.net.URI;

/**
 * Opens a driver for a switch at a management address. Arista eAPI today; a site with other
 * switches gives the handler another connector (SONiC, gNMI) without touching the steps.
 */
@FunctionalInterface
public interface SwitchConnector {
    SwitchDriver open(URI endpoint, ExchangeListener listener);

    static SwitchConnector eapi(DeviceAccess access) {
        return (endpoint, listener) -> EapiSwitchDriver.open(
                EapiConfig.of(endpoint, access.credentials(), access.tls())
                        .withTimeouts(access.connectTimeout(), access.requestTimeout()), listener);
    }
}
