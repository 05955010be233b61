package dev.conveyor.rack;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
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
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.conveyor.core.QuotaExceededException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;

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
    /**
     * Bounds what a request may make the server parse: well below the 2 MiB cap on a gRPC message
     * (so that the limit can actually be reached and answered in words), and above any real rack
     * (rack r1's 2 switches and 20 servers are 8.5 KB; 16 switches and 256 servers with their
     * templates stay under a few hundred KB).
     */
    public static final int MAX_MANIFEST_CHARS = 1024 * 1024;
    /** Deeper than any manifest is (about 5 levels); a hostile document's nesting stops here. */
    static final int MAX_NESTING_DEPTH = 32;
    /** Manifests parsed at once by this process; a parse costs CPU and memory in proportion to its size. */
    static final int MAX_CONCURRENT_PARSES = 4;
    /** How long a parse waits for its turn before the request is refused as RESOURCE_EXHAUSTED. */
    static final Duration PARSE_WAIT = Duration.ofSeconds(2);

    private static final Semaphore PARSES = new Semaphore(MAX_CONCURRENT_PARSES);

    private static final ObjectMapper YAML_MAPPER = configure(YAMLMapper.builder(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    .loaderOptions(loaderOptions())
                    .streamReadConstraints(constraints())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()));
    private static final ObjectMapper JSON_MAPPER = configure(JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(constraints())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()));

    private ManifestCodec() {}

    /**
     * SnakeYAML's own bounds, so that a document past them stops early: its size in code points,
     * its nesting, and no alias expansion at all (aliases are refused outright, see
     * {@link NoAliases}). Duplicate keys are refused by Jackson ({@code STRICT_DUPLICATE_DETECTION}),
     * which reads SnakeYAML's events; the loader option says the same for its node-level reader.
     */
    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_MANIFEST_CHARS + 1024);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setMaxAliasesForCollections(0);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    private static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH)
                .maxDocumentLength(MAX_MANIFEST_CHARS + 1024L).maxStringLength(MAX_MANIFEST_CHARS).build();
    }

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
            throw new InvalidManifestException(List.of(new ManifestProblem("manifest",
                    "must be at most " + MAX_MANIFEST_CHARS + " characters, was " + text.length())));
        }
        RackManifest manifest;
        acquireParse();
        try (JsonParser parser = parser(text, format)) {
            manifest = mapper(format).readValue(parser, RackManifest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException(List.of(parseProblem(e)), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a manifest from a string failed", e);
        } finally {
            PARSES.release();
        }
        if (manifest == null) {
            throw new InvalidManifestException(List.of(new ManifestProblem("$", "the manifest is empty")));
        }
        return ManifestValidator.requireValid(manifest);
    }

    /** Waits a little for a turn to parse; refuses the request when the process is busy parsing. */
    private static void acquireParse() {
        boolean acquired;
        try {
            acquired = PARSES.tryAcquire(PARSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new QuotaExceededException("the server is parsing " + MAX_CONCURRENT_PARSES
                    + " manifests already; retry in a moment", Duration.ofSeconds(1));
        }
    }

    private static JsonParser parser(String text, ManifestFormat format) throws IOException {
        JsonParser parser = mapper(format).createParser(text);
        return parser instanceof YAMLParser yaml ? new NoAliases(yaml) : parser;
    }

    /**
     * Refuses YAML anchors and aliases: a manifest has no use for them, and Jackson would read an
     * alias as the anchor's name, a string, which would be a confusing error further on.
     */
    private static final class NoAliases extends JsonParserDelegate {
        private final YAMLParser yaml;

        NoAliases(YAMLParser yaml) {
            super(yaml);
            this.yaml = yaml;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = super.nextToken();
            if (yaml.isCurrentAlias() || yaml.getObjectId() != null) {
                throw new JsonParseException(yaml, "YAML anchors and aliases (&name, *name) are not allowed in a "
                        + "manifest: write each value out");
            }
            return token;
        }
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
