package dev.conveyor.rack;

import java.util.Objects;

/**
 * One thing wrong with a manifest.
 *
 * @param path where, e.g. {@code servers[3].bmcAddress} or {@code switches[0].cabling[2].port}
 */
public record ManifestProblem(String path, String message) {
    /** What a problem may echo of the manifest: a value of 100,000 characters is not repeated whole. */
    static final int MAX_PATH_CHARS = 120;
    static final int MAX_MESSAGE_CHARS = 300;

    public ManifestProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        path = clip(path, MAX_PATH_CHARS);
        message = clip(message, MAX_MESSAGE_CHARS);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "… (" + s.length() + " characters)";
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
