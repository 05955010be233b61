package dev.conveyor.validation.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The writes of provisioning, over the session of a {@link RedfishClient}: firmware updates
 * ({@code UpdateService.SimpleUpdate}, DSP0268), their tasks, the {@code Bios} settings object,
 * the one-time boot override and {@code ComputerSystem.Reset}. Every read here is fresh (nothing is
 * cached), since the point is to see the device change. Like the client, it judges nothing: the
 * provisioning steps decide what an answer means.
 *
 * <p>Each request is reported to the client's listener with a note of what it asked for (the JSON
 * body), so the job's events say exactly what was written.
 */
public final class RedfishActions {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String SIMPLE_UPDATE = "#UpdateService.SimpleUpdate";
    static final String RESET = "#ComputerSystem.Reset";

    private final RedfishHttp http;
    private final RedfishNavigator navigator;
    private final Resource root;

    RedfishActions(RedfishHttp http, RedfishNavigator navigator, Resource root) {
        this.http = http;
        this.navigator = navigator;
        this.root = root;
    }

    /**
     * The target of {@code UpdateService.Actions.#UpdateService.SimpleUpdate}.
     *
     * @throws RedfishProtocolException when the service root links no UpdateService or the service offers no SimpleUpdate
     */
    public String simpleUpdateTarget() {
        Resource service = navigator.fetch(root.requiredLink("UpdateService"));
        String target = service.node().path("Actions").path(SIMPLE_UPDATE).path("target").asText("");
        if (target.isEmpty()) {
            throw new RedfishProtocolException(service.uri(), 0, "UpdateService offers no " + SIMPLE_UPDATE
                    + " action", null);
        }
        return target;
    }

    /**
     * Asks the BMC to fetch and apply an image. {@code TransferProtocol} is sent as well, named from
     * the URI's scheme, for services older than UpdateService v1_4 that require it.
     *
     * @return the task monitor (the {@code Location} header, else the {@code @odata.id} of a Task in
     *     the body); empty when the BMC answered that the update is already done
     */
    public Optional<String> simpleUpdate(String target, String imageUri) {
        ObjectNode body = NODES.objectNode().put("ImageURI", imageUri);
        String scheme = URI.create(imageUri).getScheme();
        if (scheme != null) {
            body.put("TransferProtocol", scheme.toUpperCase(Locale.ROOT));
        }
        RedfishReply reply = http.exchange("POST", http.resolve(target), body, body.toString());
        Optional<String> monitor = reply.location();
        if (monitor.isEmpty() && reply.body().has("TaskState")) {
            monitor = Optional.of(reply.body().path("@odata.id").asText("")).filter(id -> !id.isEmpty());
        }
        if (monitor.isEmpty() && reply.status() == 202) {
            throw new RedfishProtocolException(http.resolve(target), 202, "update accepted without a task monitor "
                    + "(no Location header and no Task in the body): its end cannot be followed", null);
        }
        return monitor;
    }

    /**
     * Reads a task through its monitor or its resource. A monitor answers 202 with the Task while it
     * runs, then the operation's own status (DSP0266 §13.2): an answer without {@code TaskState}
     * is the end of a task that completed.
     */
    public TaskProgress task(String monitor) {
        URI uri = http.resolve(monitor);
        RedfishReply reply = http.exchange("GET", uri, null, "");
        JsonNode task = reply.body();
        if (!task.has("TaskState")) {
            return new TaskProgress(monitor, reply.status() == 202 ? "Running" : "Completed", "", -1, List.of());
        }
        List<String> messages = new ArrayList<>();
        for (JsonNode message : task.path("Messages")) {
            String text = message.path("Message").asText(message.path("MessageId").asText(""));
            if (!text.isEmpty()) {
                messages.add(text);
            }
        }
        return new TaskProgress(monitor, task.path("TaskState").asText(), task.path("TaskStatus").asText(""),
                task.path("PercentComplete").isNumber() ? task.path("PercentComplete").asInt() : -1, messages);
    }

    /**
     * The system's Bios resource and its settings object.
     *
     * @return empty when the system links no {@code Bios}
     */
    public Optional<BiosSettings> bios(String systemOdataId) {
        Optional<String> link = navigator.fetch(systemOdataId).link("Bios");
        if (link.isEmpty()) {
            return Optional.empty();
        }
        Resource bios = navigator.fetch(link.get());
        JsonNode settings = bios.node().path("@Redfish.Settings");
        Optional<String> settingsObject = Optional.of(settings.path("SettingsObject").path("@odata.id").asText(""))
                .filter(id -> !id.isEmpty());
        List<String> applyTimes = new ArrayList<>();
        settings.path("SupportedApplyTimes").forEach(t -> applyTimes.add(t.asText()));
        Map<String, String> pending = settingsObject.map(id -> attributes(navigator.fetch(id).node()))
                .orElse(Map.of());
        String odataId = bios.text("@odata.id");
        return Optional.of(new BiosSettings(odataId.isEmpty() ? link.get() : odataId, attributes(bios.node()),
                settingsObject, applyTimes, pending));
    }

    /** Stages attributes in the settings object; the BIOS takes them at the next reset. */
    public void stageBiosAttributes(String settingsObject, Map<String, String> attributes) {
        ObjectNode body = NODES.objectNode();
        ObjectNode values = body.putObject("Attributes");
        attributes.forEach(values::put);
        http.exchange("PATCH", http.resolve(settingsObject), body, body.toString());
    }

    /** The system's power and boot state, fresh. */
    public SystemPower power(String systemOdataId) {
        Resource system = navigator.fetch(systemOdataId);
        JsonNode boot = system.node().path("Boot");
        List<String> targets = new ArrayList<>();
        boot.path("BootSourceOverrideTarget@Redfish.AllowableValues").forEach(t -> targets.add(t.asText()));
        JsonNode reset = system.node().path("Actions").path(RESET);
        List<String> resetTypes = new ArrayList<>();
        reset.path("ResetType@Redfish.AllowableValues").forEach(t -> resetTypes.add(t.asText()));
        Optional<String> resetTarget = Optional.of(reset.path("target").asText("")).filter(t -> !t.isEmpty());
        return new SystemPower(systemOdataId, system.text("PowerState"), boot.path("BootSourceOverrideTarget").asText(""),
                boot.path("BootSourceOverrideEnabled").asText(""), targets, resetTarget, resetTypes,
                system.text("LastResetTime"), system.node().path("BootProgress").path("LastState").asText(""));
    }

    /** PATCHes {@code Boot.BootSourceOverrideTarget} and {@code Boot.BootSourceOverrideEnabled}. */
    public void overrideBoot(String systemOdataId, String target, String enabled) {
        ObjectNode body = NODES.objectNode();
        body.putObject("Boot").put("BootSourceOverrideTarget", target).put("BootSourceOverrideEnabled", enabled);
        http.exchange("PATCH", http.resolve(systemOdataId), body, body.toString());
    }

    /** POSTs {@code {"ResetType": …}} to the system's Reset action. */
    public void reset(String resetTarget, String resetType) {
        ObjectNode body = NODES.objectNode().put("ResetType", resetType);
        http.exchange("POST", http.resolve(resetTarget), body, body.toString());
    }

    private static Map<String, String> attributes(JsonNode resource) {
        Map<String, String> attributes = new LinkedHashMap<>();
        resource.path("Attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
        return attributes;
    }
}
