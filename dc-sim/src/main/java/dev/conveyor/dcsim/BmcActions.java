package dev.conveyor.dcsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The provisioning side of a simulated BMC (DSP0266/DSP0268): {@code UpdateService.SimpleUpdate}
 * answered 202 with a task monitor ({@code Location}) that answers 202 while the task runs and 200
 * with the Task once it ended; a {@code TaskService}; the system's {@code Bios} resource with its
 * settings object ({@code @Redfish.Settings}, applied {@code OnReset}); the boot override PATCHed on
 * the ComputerSystem; and {@code #ComputerSystem.Reset}. Wrong requests are refused as a BMC
 * refuses them: 400 with a Base message for a missing or unsupported parameter or an unknown
 * attribute, 405 for a PATCH of the Bios resource itself.
 *
 * <p>{@link #decorate} lays the state of {@link BmcProvisioning} over the resources
 * {@link BmcResources} built, so that the system, the inventory and the manager report it.
 */
final class BmcActions {
    static final List<String> RESET_TYPES = List.of("On", "ForceOff", "GracefulShutdown", "GracefulRestart",
            "ForceRestart", "PowerCycle");
    static final List<String> BOOT_TARGETS = List.of("None", "Pxe", "Hdd", "Cd", "BiosSetup", "UefiShell");
    private static final Set<String> BOOT_ENABLED = Set.of("Disabled", "Once", "Continuous");
    private static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS");
    private static final String UPDATE_SERVICE = BmcResources.ROOT + "/UpdateService";
    private static final String SIMPLE_UPDATE = UPDATE_SERVICE + "/Actions/UpdateService.SimpleUpdate";
    private static final String TASK_SERVICE = BmcResources.ROOT + "/TaskService";
    private static final String TASKS = TASK_SERVICE + "/Tasks";
    private static final String MONITORS = TASK_SERVICE + "/TaskMonitors";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final BmcProvisioning state;
    private final ObjectMapper json;

    BmcActions(BmcProvisioning state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    /** Adds the provisioning resources and state to a freshly built tree. */
    void decorate(Map<String, ObjectNode> resources) {
        state.advance();
        String system = find(resources, "#ComputerSystem.").orElse(null);
        if (system == null) {
            return;
        }
        ObjectNode node = resources.get(system);
        node.put("PowerState", state.powerState());
        node.put("LastResetTime", time(state.lastResetTime()));
        node.putObject("BootProgress").put("LastState", state.bootProgress());
        ObjectNode boot = node.putObject("Boot");
        boot.put("BootSourceOverrideEnabled", state.overrideEnabled());
        boot.put("BootSourceOverrideTarget", state.overrideTarget());
        boot.put("BootSourceOverrideMode", "UEFI");
        BOOT_TARGETS.forEach(boot.putArray("BootSourceOverrideTarget@Redfish.AllowableValues")::add);
        ObjectNode reset = node.putObject("Actions").putObject("#ComputerSystem.Reset");
        reset.put("target", system + "/Actions/ComputerSystem.Reset");
        RESET_TYPES.forEach(reset.putArray("ResetType@Redfish.AllowableValues")::add);
        node.set("Bios", link(system + "/Bios"));
        bios(resources, system);
        firmware(resources, system);
        updateService(resources);
        tasks(resources);
    }

    private void bios(Map<String, ObjectNode> resources, String system) {
        ObjectNode bios = resource(resources, system + "/Bios", "#Bios.v1_2_1.Bios", "BIOS Configuration Current Settings");
        bios.put("AttributeRegistry", "BiosAttributeRegistry.v1_0_0");
        ObjectNode attributes = bios.putObject("Attributes");
        state.bios().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> attributes.put(e.getKey(), e.getValue()));
        ObjectNode settings = bios.putObject("@Redfish.Settings");
        settings.put("@odata.type", "#Settings.v1_3_5.Settings");
        settings.set("SettingsObject", link(system + "/Bios/Settings"));
        settings.putArray("SupportedApplyTimes").add("OnReset");
        ObjectNode pending = resource(resources, system + "/Bios/Settings", "#Bios.v1_2_1.Bios",
                "BIOS Configuration Pending Settings");
        ObjectNode pendingAttributes = pending.putObject("Attributes");
        state.pendingBios().forEach(pendingAttributes::put);
        pending.putObject("@Redfish.SettingsApplyTime").put("ApplyTime", "OnReset");
    }

    /** Installed versions replace what the profile (or a firmware fault) says. */
    private void firmware(Map<String, ObjectNode> resources, String system) {
        for (ObjectNode node : resources.values()) {
            String type = node.path("@odata.type").asText("");
            String name = node.path("Name").asText("");
            if (type.startsWith("#SoftwareInventory.") && (name.equals("BIOS") || name.equals("BMC"))
                    && state.hasInstalled(name)) {
                node.put("Version", state.installed(name, ""));
            }
            if (type.startsWith("#Manager.") && state.hasInstalled("BMC")) {
                node.put("FirmwareVersion", state.installed("BMC", ""));
            }
        }
        if (state.hasInstalled("BIOS")) {
            resources.get(system).put("BiosVersion", state.installed("BIOS", ""));
        }
    }

    private void updateService(Map<String, ObjectNode> resources) {
        ObjectNode service = resources.get(UPDATE_SERVICE);
        if (service == null) {
            return;
        }
        ObjectNode action = service.putObject("Actions").putObject("#UpdateService.SimpleUpdate");
        action.put("target", SIMPLE_UPDATE);
        PROTOCOLS.stream().sorted().forEach(action.putArray("TransferProtocol@Redfish.AllowableValues")::add);
        ObjectNode root = resources.get(BmcResources.ROOT);
        if (root != null) {
            root.set("Tasks", link(TASK_SERVICE));
        }
    }

    private void tasks(Map<String, ObjectNode> resources) {
        ObjectNode service = resource(resources, TASK_SERVICE, "#TaskService.v1_2_0.TaskService", "Task Service");
        service.put("ServiceEnabled", true);
        service.set("Tasks", link(TASKS));
        ObjectNode collection = NODES.objectNode();
        collection.put("@odata.id", TASKS);
        collection.put("@odata.type", "#TaskCollection.TaskCollection");
        collection.put("Name", "Tasks");
        ArrayNode members = collection.putArray("Members");
        for (BmcProvisioning.SimTask task : state.tasks()) {
            members.add(link(TASKS + "/" + task.id()));
            resources.put(TASKS + "/" + task.id(), task(task));
        }
        collection.put("Members@odata.count", members.size());
        resources.put(TASKS, collection);
    }

    private ObjectNode task(BmcProvisioning.SimTask task) {
        boolean ended = task.ended(currentTime());
        ObjectNode node = NODES.objectNode();
        node.put("@odata.id", TASKS + "/" + task.id());
        node.put("@odata.type", "#Task.v1_7_1.Task");
        node.put("Id", task.id());
        node.put("Name", "Firmware update " + task.id());
        node.put("TaskMonitor", MONITORS + "/" + task.id());
        node.put("StartTime", time(task.started()));
        node.put("TaskState", !ended ? "Running" : task.failure() == null ? "Completed" : "Exception");
        node.put("TaskStatus", !ended || task.failure() == null ? "OK" : "Critical");
        long total = Math.max(1, task.ends().toEpochMilli() - task.started().toEpochMilli());
        long done = Math.min(total, currentTime().toEpochMilli() - task.started().toEpochMilli());
        node.put("PercentComplete", ended ? 100 : (int) (100 * Math.max(0, done) / total));
        ArrayNode messages = node.putArray("Messages");
        if (ended) {
            node.put("EndTime", time(task.ends()));
            ObjectNode message = messages.addObject();
            if (task.failure() == null) {
                message.put("MessageId", "Update.1.0.UpdateSuccessful");
                message.put("Message", "The update of " + task.component() + " to " + task.version()
                        + " completed" + (task.component().equals("BIOS") ? "; it applies at the next reset" : ""));
            } else {
                message.put("MessageId", "Update.1.0.ApplyFailed");
                message.put("Message", task.failure());
            }
        }
        return node;
    }

    private Instant currentTime() {
        return state.now();
    }

    /** GETs this class answers itself: task monitors (202 while the task runs). */
    boolean get(HttpExchange exchange, String path) throws IOException {
        if (!path.startsWith(MONITORS + "/")) {
            return false;
        }
        state.advance();
        Optional<BmcProvisioning.SimTask> task = state.task(path.substring(MONITORS.length() + 1));
        if (task.isEmpty()) {
            HttpResponses.json(exchange, 404, error("Base.1.8.ResourceMissingAtURI", path + " does not exist"));
            return true;
        }
        ObjectNode body = task(task.get());
        exchange.getResponseHeaders().set("Location", MONITORS + "/" + task.get().id());
        HttpResponses.json(exchange, task.get().ended(currentTime()) ? 200 : 202, body);
        return true;
    }

    /** POST and PATCH of the provisioning resources; false when the path is none of them. */
    boolean write(HttpExchange exchange, String method, String path, String system) throws IOException {
        state.advance();
        boolean update = method.equals("POST") && path.equals(SIMPLE_UPDATE);
        boolean reset = method.equals("POST") && path.equals(system + "/Actions/ComputerSystem.Reset");
        boolean settings = method.equals("PATCH") && path.equals(system + "/Bios/Settings");
        boolean biosItself = method.equals("PATCH") && path.equals(system + "/Bios");
        boolean boot = method.equals("PATCH") && path.equals(system);
        if (!update && !reset && !settings && !biosItself && !boot) {
            return false;
        }
        if (biosItself) {
            HttpResponses.json(exchange, 405, error("Base.1.8.OperationNotAllowed",
                    "the current settings are read-only: PATCH " + system + "/Bios/Settings"));
            return true;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = json.readTree(in);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            HttpResponses.json(exchange, 400, error("Base.1.8.MalformedJSON", "the request body is not a JSON object"));
            return true;
        }
        if (update) {
            simpleUpdate(exchange, body);
        } else if (reset) {
            reset(exchange, body);
        } else if (settings) {
            stageBios(exchange, body);
        } else {
            overrideBoot(exchange, body);
        }
        return true;
    }

    private void simpleUpdate(HttpExchange exchange, JsonNode body) throws IOException {
        String image = body.path("ImageURI").asText("");
        if (image.isEmpty()) {
            HttpResponses.json(exchange, 400, error("Base.1.8.ActionParameterMissing",
                    "SimpleUpdate requires the parameter ImageURI"));
            return;
        }
        String protocol = body.path("TransferProtocol").asText("");
        if (!protocol.isEmpty() && !PROTOCOLS.contains(protocol)) {
            HttpResponses.json(exchange, 400, error("Base.1.8.ActionParameterNotSupported",
                    "TransferProtocol " + protocol + " is not supported; use one of " + PROTOCOLS.stream().sorted().toList()));
            return;
        }
        BmcProvisioning.SimTask task = state.startUpdate(image);
        exchange.getResponseHeaders().set("Location", MONITORS + "/" + task.id());
        HttpResponses.json(exchange, 202, task(task));
    }

    private void reset(HttpExchange exchange, JsonNode body) throws IOException {
        String type = body.path("ResetType").asText("");
        if (!RESET_TYPES.contains(type)) {
            HttpResponses.json(exchange, 400, error("Base.1.8.ActionParameterValueNotInList",
                    "ResetType '" + type + "' is not one of " + RESET_TYPES));
            return;
        }
        state.reset(type);
        HttpResponses.empty(exchange, 204);
    }

    private void stageBios(HttpExchange exchange, JsonNode body) throws IOException {
        JsonNode attributes = body.path("Attributes");
        if (!attributes.isObject() || attributes.isEmpty()) {
            HttpResponses.json(exchange, 400, error("Base.1.8.PropertyMissing", "Attributes is required"));
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        attributes.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        List<String> unknown = state.stageBios(values);
        if (!unknown.isEmpty()) {
            HttpResponses.json(exchange, 400, error("Base.1.8.PropertyUnknown",
                    "the BIOS has no attribute " + String.join(", ", unknown)));
            return;
        }
        HttpResponses.empty(exchange, 204);
    }

    private void overrideBoot(HttpExchange exchange, JsonNode body) throws IOException {
        JsonNode boot = body.path("Boot");
        String target = boot.path("BootSourceOverrideTarget").asText(null);
        String enabled = boot.path("BootSourceOverrideEnabled").asText(null);
        if (!boot.isObject() || (target == null && enabled == null)) {
            HttpResponses.json(exchange, 400, error("Base.1.8.PropertyNotWritable",
                    "only Boot.BootSourceOverrideTarget and Boot.BootSourceOverrideEnabled can be written"));
            return;
        }
        if ((target != null && !BOOT_TARGETS.contains(target)) || (enabled != null && !BOOT_ENABLED.contains(enabled))) {
            HttpResponses.json(exchange, 400, error("Base.1.8.PropertyValueNotInList",
                    "Boot override " + target + "/" + enabled + " is not allowed"));
            return;
        }
        state.overrideBoot(target, enabled);
        HttpResponses.empty(exchange, 204);
    }

    private static Optional<String> find(Map<String, ObjectNode> resources, String typePrefix) {
        return resources.entrySet().stream()
                .filter(e -> e.getValue().path("@odata.type").asText("").startsWith(typePrefix))
                .map(Map.Entry::getKey).sorted().findFirst();
    }

    private static ObjectNode resource(Map<String, ObjectNode> resources, String odataId, String type, String name) {
        ObjectNode node = NODES.objectNode();
        node.put("@odata.id", odataId);
        node.put("@odata.type", type);
        node.put("Id", odataId.substring(odataId.lastIndexOf('/') + 1));
        node.put("Name", name);
        resources.put(odataId, node);
        return node;
    }

    private static ObjectNode link(String odataId) {
        return NODES.objectNode().put("@odata.id", odataId);
    }

    private static String time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private ObjectNode error(String code, String message) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return body;
    }
}
