package dev.conveyor.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.UncheckedIOException;
import java.math.BigInteger;

/**
 * Proto3's JSON mapping prints 64-bit integers as strings ({@code "30"}), for JavaScript's sake;
 * a script reading counts and ids with {@code jq} wants numbers. This turns every 64-bit integer
 * field of the message, at any depth, back into a JSON number; everything else is left as proto3
 * JSON prints it, and {@code JsonFormat.parser()} reads either form.
 */
final class JsonNumbers {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** "name": value, as proto3's printer spaces it. */
    private static final com.fasterxml.jackson.core.util.DefaultPrettyPrinter PRETTY =
            new com.fasterxml.jackson.core.util.DefaultPrettyPrinter().withSeparators(
                    com.fasterxml.jackson.core.util.Separators.createDefaultInstance().withObjectFieldValueSpacing(
                            com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));

    private JsonNumbers() {
    }

    static String of(String json, Descriptor type, boolean pretty) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            convert(tree, type);
            return pretty ? MAPPER.writer(PRETTY).writeValueAsString(tree) : MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot reprint the server's answer as JSON", e);
        }
    }

    private static void convert(JsonNode element, Descriptor type) {
        if (!(element instanceof ObjectNode object)) {
            return; // a well-known type (Timestamp, Duration, wrappers) printed as a scalar
        }
        for (FieldDescriptor field : type.getFields()) {
            String name = object.has(field.getJsonName()) ? field.getJsonName() : field.getName();
            JsonNode value = object.get(name);
            if (value == null) {
                continue;
            }
            if (field.isMapField()) {
                FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
                ObjectNode map = (ObjectNode) value;
                for (String key : toList(map)) {
                    map.set(key, converted(map.get(key), valueField));
                }
            } else if (field.isRepeated()) {
                ArrayNode array = (ArrayNode) value;
                for (int i = 0; i < array.size(); i++) {
                    array.set(i, converted(array.get(i), field));
                }
            } else {
                object.set(name, converted(value, field));
            }
        }
    }

    private static java.util.List<String> toList(ObjectNode map) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        map.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static JsonNode converted(JsonNode value, FieldDescriptor field) {
        switch (field.getType()) {
            case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> {
                if (value.isTextual()) {
                    return BigIntegerNode.valueOf(new BigInteger(value.asText()));
                }
                return value;
            }
            case MESSAGE -> {
                convert(value, field.getMessageType());
                return value;
            }
            default -> {
                return value;
            }
        }
    }
}
