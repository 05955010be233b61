package dev.conveyor.validation.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One fetched Redfish document and typed reads of its properties. Optional properties come back
 * empty; a missing required one is a {@link RedfishProtocolException} naming the URL and property.
 * Everything the client does not ask for, vendor {@code Oem} blocks included, is left alone.
 */
record Resource(URI uri, JsonNode node) {
    String requiredText(String property) {
        JsonNode value = node.path(property);
        if (!value.isValueNode() || value.isNull()) {
            throw new RedfishProtocolException(uri, 0, "required property " + property + " is missing", null);
        }
        return value.asText();
    }

    String text(String property) {
        JsonNode value = node.path(property);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }

    /** The {@code Id}, or the last segment of the URL for documents that have none. */
    String id() {
        String id = text("Id");
        if (!id.isEmpty()) {
            return id;
        }
        String path = uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    OptionalDouble number(String... path) {
        JsonNode value = node;
        for (String property : path) {
            value = value.path(property);
        }
        return value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
    }

    /** The {@code @odata.id} of a navigation property such as {@code "Systems": {"@odata.id": …}}. */
    Optional<String> link(String... path) {
        JsonNode value = node;
        for (String property : path) {
            value = value.path(property);
        }
        String target = value.path("@odata.id").asText("");
        return target.isEmpty() ? Optional.empty() : Optional.of(target);
    }

    String requiredLink(String... path) {
        return link(path).orElseThrow(() -> new RedfishProtocolException(uri, 0,
                "required link " + String.join(".", path) + " is missing", null));
    }

    ResourceStatus status() {
        JsonNode status = node.path("Status");
        String state = status.path("State").asText("");
        return new ResourceStatus(state.isEmpty() ? "Unknown" : state, Health.of(status.path("Health").asText("")));
    }

    /** A nested object (or an array element) read as a document of the same URL. */
    Resource child(JsonNode nested) {
        return new Resource(uri, nested);
    }
}
