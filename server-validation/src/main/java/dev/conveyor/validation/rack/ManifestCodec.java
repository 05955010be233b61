package dev.conveyor.validation.rack;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads rack manifests from YAML or JSON and writes them back. Reading returns only a manifest that
 * {@link ManifestValidator} accepts; anything else is an {@link InvalidManifestException}.
 *
 * <p>Unknown properties are errors, not ignored: in a hand-written manifest an unknown property is
 * almost always a misspelt one ({@code bmcAdress}), and silently dropping it would validate against
 * the wrong plan. A syntax or type error stops parsing, so it is reported alone; every problem of a
 * manifest that parses is reported together.
 */
public final class ManifestCodec {
    /** Bounds what a request may make the server parse. */
    public static final int MAX_MANIFEST_CHARS = 4 * 1024 * 1024;

    private static final ObjectMapper YAML_MAPPER = configure(YAMLMapper.builder(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE).build()));
    private static final ObjectMapper JSON_MAPPER = configure(JsonMapper.builder());

    private ManifestCodec() {}

    private static ObjectMapper configure(MapperBuilder<?, ?> builder) {
        return builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
    }

    public static RackManifest read(Path file) {
        try {
            return parse(Files.readString(file), ManifestFormat.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + file, e);
        }
    }

    /** @throws InvalidManifestException listing what is wrong */
    public static RackManifest parse(String text, ManifestFormat format) {
        if (text.length() > MAX_MANIFEST_CHARS) {
            throw new InvalidManifestException(List.of(new ManifestProblem("$",
                    "longer than " + MAX_MANIFEST_CHARS + " characters")));
        }
        RackManifest manifest;
        try {
            manifest = mapper(format).readValue(text, RackManifest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException(List.of(parseProblem(e)), e);
        }
        if (manifest == null) {
            throw new InvalidManifestException(List.of(new ManifestProblem("$", "the manifest is empty")));
        }
        return ManifestValidator.requireValid(manifest);
    }

    public static String write(RackManifest manifest, ManifestFormat format) {
        try {
            return mapper(format).writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest record failed to serialise", e);
        }
    }

    private static ObjectMapper mapper(ManifestFormat format) {
        return format == ManifestFormat.JSON ? JSON_MAPPER : YAML_MAPPER;
    }

    private static ManifestProblem parseProblem(JacksonException e) {
        String path = "$";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
        }
        JsonLocation location = e.getLocation();
        String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return new ManifestProblem(path, e.getOriginalMessage() + where);
    }
}
