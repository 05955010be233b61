package dev.conveyor.validation.redfish;

import java.net.URI;

/** What a BMC says about itself at {@code /redfish/v1}; vendor and product may be empty. */
public record ServiceRoot(URI uri, String redfishVersion, String uuid, String vendor, String product) {}
