package dev.conveyor.server.console;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobQuery;
import dev.conveyor.core.JobState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The jobs page's filters as the form sends them (queue, state, type, {@code key=value} label,
 * created from/to in UTC) and the keyset cursor; checked here, so a bad filter is a message on the
 * page, and turned into a {@link JobQuery} and back into links.
 */
public record JobFilter(String queue, String state, String type, String label, String from, String to,
        Long before) {
    public static final int PAGE_SIZE = 50;

    static JobFilter of(Form form) {
        return new JobFilter(form.get("queue"), form.get("state"), form.get("type"), form.get("label"),
                form.get("from"), form.get("to"), form.getLong("before"));
    }

    JobQuery toQuery() {
        String labelKey = null;
        String labelValue = null;
        if (label != null) {
            int eq = label.indexOf('=');
            labelKey = eq < 0 ? label : label.substring(0, eq).strip();
            labelValue = eq < 0 ? null : label.substring(eq + 1).strip();
            if (labelKey.isEmpty()) {
                throw new InvalidRequestException("label", "must be key or key=value");
            }
        }
        return new JobQuery(queue, parseState(), type, time("from", from), time("to", to), labelKey, labelValue,
                null, PAGE_SIZE, before);
    }

    /** The query string of this filter on another page: {@code ?queue=a&before=123}. */
    String link(Long beforeId) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("queue", queue);
        fields.put("state", state);
        fields.put("type", type);
        fields.put("label", label);
        fields.put("from", from);
        fields.put("to", to);
        fields.put("before", beforeId == null ? null : beforeId.toString());
        StringJoiner query = new StringJoiner("&", "?", "");
        fields.forEach((name, value) -> {
            if (value != null) {
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    private JobState parseState() {
        if (state == null) {
            return null;
        }
        try {
            return JobState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("state", "must be one of " + Arrays.toString(JobState.values()));
        }
    }

    private static Instant time(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "must be a UTC time such as 2026-11-26T07:30");
        }
    }
}
