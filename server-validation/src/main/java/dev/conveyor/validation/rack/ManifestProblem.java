package dev.conveyor.validation.rack;

import java.util.Objects;

/**
 * One thing wrong with a manifest.
 *
 * @param path where, e.g. {@code servers[3].bmcAddress} or {@code switches[0].cabling[2].port}
 */
public record ManifestProblem(String path, String message) {
    public ManifestProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
