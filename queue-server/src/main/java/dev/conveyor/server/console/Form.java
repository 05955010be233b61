package dev.conveyor.server.console;

import dev.conveyor.core.InvalidRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The fields of a query string or an {@code application/x-www-form-urlencoded} body. */
final class Form {
    private final Map<String, String> fields;

    private Form(Map<String, String> fields) {
        this.fields = fields;
    }

    static Form empty() {
        return new Form(Map.of());
    }

    /** The first value of each name wins; a malformed escape is bad input, not a server error. */
    static Form parse(String encoded) {
        Map<String, String> fields = new HashMap<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                fields.putIfAbsent(name, value);
            }
        }
        return new Form(fields);
    }

    /** The trimmed value, or null when absent or blank. */
    String get(String name) {
        String value = fields.get(name);
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** The value as sent, blank or not; null when absent. */
    String raw(String name) {
        return fields.get(name);
    }

    Long getLong(String name) {
        String value = get(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name, "must be a whole number");
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("form", "is not valid URL encoding");
        }
    }
}
