package dev.conveyor.validation.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A BMC's answer to an action, an update or a task monitor read.
 *
 * @param location the {@code Location} header: where a created resource or a task monitor is
 * @param body     the JSON body, an empty object when the BMC sent none (204)
 */
record RedfishReply(int status, Optional<String> location, JsonNode body) {}
