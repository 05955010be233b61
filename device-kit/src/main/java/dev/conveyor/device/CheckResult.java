package dev.conveyor.device;

import java.util.Objects;

/**
 * One check of a device as a technician reads it: what was expected, what the device reported, and
 * what that means. Texts are cut to {@link #MAX_TEXT} characters, the width of their columns.
 *
 * @param name e.g. {@code serial}, {@code fans}, {@code firmware-bios}
 */
public record CheckResult(String name, CheckStatus status, String expected, String observed, String message) {
    public static final int MAX_TEXT = 1024;

    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        expected = cut(expected);
        observed = cut(observed);
        message = cut(message);
    }

    public static CheckResult pass(String name, String expected, String observed) {
        return new CheckResult(name, CheckStatus.PASS, expected, observed, "");
    }

    public static CheckResult fail(String name, String expected, String observed, String message) {
        return new CheckResult(name, CheckStatus.FAIL, expected, observed, message);
    }

    public static CheckResult skipped(String name, String why) {
        return new CheckResult(name, CheckStatus.SKIPPED, "", "", why);
    }

    /** PASS when {@code observed} equals {@code expected}, else FAIL with {@code message}. */
    public static CheckResult equal(String name, String expected, String observed, String message) {
        return expected.equals(observed) ? pass(name, expected, observed) : fail(name, expected, observed, message);
    }

    public boolean failed() {
        return status == CheckStatus.FAIL;
    }

    /** {@code serial: expected SN1, observed SN9 (wrong server?)}: one line of a failure reason. */
    public String describe() {
        StringBuilder s = new StringBuilder(name).append(": ");
        if (!message.isEmpty()) {
            s.append(message);
        }
        if (!expected.isEmpty() || !observed.isEmpty()) {
            s.append(message.isEmpty() ? "" : " ").append("(expected ").append(expected).append(", observed ")
                    .append(observed).append(')');
        }
        return s.toString();
    }

    private static String cut(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
