package dev.conveyor.rack;

import java.nio.file.Path;
import java.util.Locale;

/** The two notations a manifest may be written in. */
public enum ManifestFormat {
    YAML,
    JSON;

    /** By file extension: {@code .json} is JSON, anything else ({@code .yaml}, {@code .yml}) YAML. */
    public static ManifestFormat of(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
    }
}
