package dev.conveyor.core;

/**
 * A step a handler records: what it did, the status it got, the request it made and what that
 * means for a technician reading the job's history.
 */
public record EventDraft(String step, String statusCode, String command, String message) {
    public static final int MAX_STEP = 64;
    public static final int MAX_STATUS = 32;
    public static final int MAX_TEXT = 8192;

    public EventDraft {
        step = cut(step, MAX_STEP);
        statusCode = cut(statusCode, MAX_STATUS);
        command = cut(command, MAX_TEXT);
        message = cut(message, MAX_TEXT);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
