package dev.conveyor.server.console;

import dev.conveyor.core.JobSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the templates show times, ages and payloads (as {@code fmt} in every model). Times are UTC,
 * the database's clock, and say so.
 */
public final class Format {
    static final Format INSTANCE = new Format();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int PAYLOAD_SHOWN = 4096;

    private Format() {
    }

    public String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** {@code 3 s}, {@code 4 min 10 s}, {@code 2 h 5 min}: an age as an operator reads it. */
    public String age(Duration age) {
        if (age == null || age.isZero() || age.isNegative()) {
            return "–";
        }
        long seconds = age.toSeconds();
        if (seconds < 1) {
            return age.toMillis() + " ms";
        }
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    /** A payload or result as text when it is text, else its size. */
    public String body(byte[] bytes, String contentType) {
        if (bytes == null || bytes.length == 0) {
            return "";
        }
        boolean text = contentType == null || contentType.startsWith("text/") || contentType.contains("json")
                || contentType.contains("yaml") || contentType.contains("xml");
        if (!text) {
            return bytes.length + " bytes of " + contentType;
        }
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.length() <= PAYLOAD_SHOWN ? s : s.substring(0, PAYLOAD_SHOWN) + "… (" + bytes.length + " bytes)";
    }

    public String payload(JobSnapshot job) {
        return body(job.payload(), job.contentType());
    }

    /** Results carry no content type: they are JSON or text by convention. */
    public String result(JobSnapshot job) {
        return body(job.result(), null);
    }
}
