package dev.conveyor.core;

import java.util.regex.Pattern;

/**
 * The limits and formats every entrance enforces. They live here, once, so that the gRPC edge,
 * the CLI and direct users of the {@link QueueManager} refuse the same input with the same words.
 * Field names in messages are the API's (snake_case).
 */
public final class JobRules {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    public static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9][a-z0-9_./-]{0,62}");
    public static final Pattern CONCURRENCY_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}");
    public static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    public static final int MIN_PRIORITY = -1000;
    public static final int MAX_PRIORITY = 1000;
    public static final int MAX_ATTEMPTS = 100;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
    public static final int MAX_LABELS = 32;
    public static final int MAX_LABEL_VALUE_LENGTH = 256;
    public static final int MAX_DEPENDENCIES = 1000;
    public static final int MAX_CONCURRENCY_LIMIT = 10_000;
    public static final int MAX_CONTENT_TYPE_LENGTH = 128;
    public static final int MAX_CREATED_BY_LENGTH = 128;
    /** Hard ceiling of the payload column; the configured limit ({@link SubmitLimits}) is lower. */
    public static final int MAX_PAYLOAD_BYTES_CEILING = 16 * 1024 * 1024 - 1;
    public static final long MAX_SCHEDULE_AHEAD_DAYS = 366;
    public static final int MAX_PAGE_SIZE = 1000;
    public static final int MAX_BATCH_SIZE = 1000;

    private JobRules() {
    }

    public static String requireName(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidRequestException(field, "is required");
        }
        if (!NAME.matcher(value).matches()) {
            throw new InvalidRequestException(field, "must match [a-z0-9][a-z0-9_.-]{0,63}");
        }
        return value;
    }

    /** Printable ASCII only: keys end up in logs, URLs and unique indexes. */
    public static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** How {@link #isCleanText} is described in error messages. */
    public static final String CLEAN_TEXT_RULE = "without control or format characters (Unicode Cc, Cf, Zl, Zp, "
            + "such as bidirectional overrides and line separators)";

    /**
     * True when the text has no control characters (Cc), no format characters (Cf: bidirectional
     * overrides and isolates, zero-width characters), no line or paragraph separators (Zl, Zp) and
     * no lone surrogates. Such text is shown in terminals, logs and the console: an override can
     * make it read backwards, a separator can forge a line.
     */
    public static boolean isCleanText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
