package dev.conveyor.validation.provision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.rack.HostAddress;
import dev.conveyor.rack.ProvisioningRules;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one {@value ServerProvisionManager#TYPE} job does to one server: its payload, JSON.
 *
 * <pre>
 * {"serial": "R1SRV0001", "bmcAddress": "10.1.0.11:443", "rack": "r1",
 *  "firmware": [{"component": "BIOS", "version": "2.3.5", "imageUri": "https://fw.example/bios-2.3.5.bin"}],
 *  "biosAttributes": {"SriovGlobalEnable": "Enabled"},
 *  "pxeBoot": true, "taskTimeoutSeconds": 1800, "resetTimeoutSeconds": 600}
 * </pre>
 *
 * @param serial              the server; the BMC must report it (a wrong BMC address touches nothing)
 * @param bmcAddress          {@code host[:port]} of its BMC (Redfish over HTTPS)
 * @param rack                the rack, for labels only; may be null
 * @param firmware            components to bring to exactly {@code version}, each from its image
 * @param biosAttributes      BIOS attributes to set, by their registry names
 * @param pxeBoot             boot once from the network at the reset
 * @param taskTimeoutSeconds  the longest wait for one update task (default {@value #DEFAULT_TASK_TIMEOUT_SECONDS})
 * @param resetTimeoutSeconds the longest wait for the system to be On after a reset (default {@value #DEFAULT_RESET_TIMEOUT_SECONDS})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvisionRequest(String serial, String bmcAddress, String rack, List<FirmwareImage> firmware,
        Map<String, String> biosAttributes, Boolean pxeBoot, Integer taskTimeoutSeconds, Integer resetTimeoutSeconds) {
    public static final int DEFAULT_TASK_TIMEOUT_SECONDS = 1800;
    public static final int DEFAULT_RESET_TIMEOUT_SECONDS = 600;
    static final int MAX_FIRMWARE = 16;
    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{2,63}");
    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[^\\p{Cntrl}]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /**
     * One firmware target.
     *
     * @param component as the BMC's FirmwareInventory names it: its {@code Name}, or the end of its {@code Id}
     * @param version   the version the component must run, as the inventory reports it
     * @param imageUri  where the BMC fetches the image ({@code ImageURI} of SimpleUpdate)
     */
    public record FirmwareImage(String component, String version, String imageUri) {}

    public ProvisionRequest {
        firmware = firmware == null ? List.of() : List.copyOf(firmware);
        biosAttributes = biosAttributes == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new LinkedHashMap<>(biosAttributes));
    }

    public boolean pxe() {
        return Boolean.TRUE.equals(pxeBoot);
    }

    public int taskTimeout() {
        return taskTimeoutSeconds == null ? DEFAULT_TASK_TIMEOUT_SECONDS : taskTimeoutSeconds;
    }

    public int resetTimeout() {
        return resetTimeoutSeconds == null ? DEFAULT_RESET_TIMEOUT_SECONDS : resetTimeoutSeconds;
    }

    public URI bmcUri() {
        return HostAddress.parse(bmcAddress).orElseThrow().httpsUri();
    }

    /**
     * Reads and checks a payload.
     *
     * @throws InvalidRequestException naming the first field that breaks its rule
     */
    public static ProvisionRequest parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new InvalidRequestException("payload", "is required: a JSON object with serial and bmcAddress");
        }
        ProvisionRequest request;
        try {
            request = JSON.readValue(payload, ProvisionRequest.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidRequestException("payload." + e.getPropertyName(), "is not a field of a provisioning "
                    + "request; known: " + e.getKnownPropertyIds());
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("payload", "is not a provisioning request: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("payload", "cannot be read: " + e.getMessage());
        }
        if (request == null) {
            throw new InvalidRequestException("payload", "must be a JSON object");
        }
        return request.validate();
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a provisioning request always serialises", e);
        }
    }

    /** @throws InvalidRequestException naming the first field that breaks its rule */
    public ProvisionRequest validate() {
        require("serial", serial != null && SERIAL.matcher(serial).matches(), "3-64 letters, digits, '.', '-' or '_'");
        require("bmcAddress", bmcAddress != null && HostAddress.parse(bmcAddress).isPresent(),
                "host or host:port (IPv4, DNS name or [IPv6], port 1-65535)");
        require("firmware", firmware.size() <= MAX_FIRMWARE, "at most " + MAX_FIRMWARE + " components");
        List<String> components = new ArrayList<>();
        for (int i = 0; i < firmware.size(); i++) {
            FirmwareImage image = firmware.get(i);
            String path = "firmware[" + i + "]";
            require(path, image != null, "must be an object with component, version and imageUri");
            require(path + ".component", image.component() != null && COMPONENT.matcher(image.component()).matches(),
                    "1-64 letters, digits, spaces, '.', '-' or '_'");
            if (components.contains(image.component().toUpperCase(java.util.Locale.ROOT))) {
                throw new InvalidRequestException(path + ".component", "names " + image.component()
                        + " a second time: one image per component");
            }
            components.add(image.component().toUpperCase(java.util.Locale.ROOT));
            require(path + ".version", image.version() != null && VERSION.matcher(image.version()).matches(),
                    "1-64 characters without control characters");
            ProvisioningRules.imageUriProblem(image.imageUri()).ifPresent(problem -> {
                throw new InvalidRequestException(path + ".imageUri", problem);
            });
        }
        require("biosAttributes", biosAttributes.size() <= ProvisioningRules.MAX_ATTRIBUTES,
                "at most " + ProvisioningRules.MAX_ATTRIBUTES + " attributes");
        biosAttributes.forEach((name, value) -> ProvisioningRules.attributeProblem(name, value).ifPresent(problem -> {
            throw new InvalidRequestException("biosAttributes." + name, problem);
        }));
        timeout("taskTimeoutSeconds", taskTimeoutSeconds);
        timeout("resetTimeoutSeconds", resetTimeoutSeconds);
        require("payload", !firmware.isEmpty() || !biosAttributes.isEmpty() || pxe(),
                "asks for nothing: give firmware, biosAttributes or pxeBoot");
        return this;
    }

    private static void timeout(String field, Integer seconds) {
        require(field, seconds == null || (seconds >= 1 && seconds <= ProvisioningRules.MAX_TIMEOUT_SECONDS),
                "between 1 and " + ProvisioningRules.MAX_TIMEOUT_SECONDS);
    }

    private static void require(String field, boolean ok, String rule) {
        if (!ok) {
            throw new InvalidRequestException(field, "must be " + rule);
        }
    }
}
