package dev.conveyor.rack;

import dev.conveyor.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A switch configuration with {@code {{name}}} placeholders. Rendering substitutes values and
 * nothing else: no loops, conditions or expressions, so a template cannot run code and what it
 * produces is obvious from reading it. A placeholder without a value is an error that names it,
 * never an empty string in a pushed configuration.
 */
public final class ConfigTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*}}");
    private static final Pattern VALUE = Pattern.compile("[^\\r\\n]*");

    private final String text;
    private final Set<String> variables;

    private ConfigTemplate(String text, Set<String> variables) {
        this.text = text;
        this.variables = variables;
    }

    /**
     * @throws InvalidRequestException (field "template") when a {@code {{} opens something that is
     *     not a well-formed placeholder, naming its line
     */
    public static ConfigTemplate parse(String text) {
        Objects.requireNonNull(text, "text");
        Set<String> variables = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        int scanned = 0;
        while (matcher.find()) {
            rejectStrayBraces(text, scanned, matcher.start());
            variables.add(matcher.group(1));
            scanned = matcher.end();
        }
        rejectStrayBraces(text, scanned, text.length());
        return new ConfigTemplate(text, Set.copyOf(variables));
    }

    private static void rejectStrayBraces(String text, int from, int to) {
        int stray = indexOfBraces(text, from, to);
        if (stray >= 0) {
            int line = 1 + (int) text.substring(0, stray).chars().filter(c -> c == '\n').count();
            throw new InvalidRequestException("template",
                    "malformed placeholder on line " + line + "; placeholders look like {{name}}");
        }
    }

    private static int indexOfBraces(String text, int from, int to) {
        for (String braces : List.of("{{", "}}")) {
            int index = text.indexOf(braces, from);
            if (index >= 0 && index < to) {
                return index;
            }
        }
        return -1;
    }

    /** Names of every placeholder in the template. */
    public Set<String> variables() {
        return variables;
    }

    /** Placeholders the given values leave without a value, sorted. */
    public List<String> missing(Map<String, String> values) {
        return new ArrayList<>(new TreeSet<>(variables.stream().filter(name -> !values.containsKey(name)).toList()));
    }

    /**
     * @throws InvalidRequestException (field "variables") naming every placeholder without a
     *     value, or a value that spans lines, since one value must not inject extra commands
     */
    public String render(Map<String, String> values) {
        List<String> missing = missing(values);
        if (!missing.isEmpty()) {
            throw new InvalidRequestException("variables", "no value for template variable(s) "
                    + String.join(", ", missing.stream().map(name -> "{{" + name + "}}").toList()));
        }
        for (String name : variables) {
            if (!VALUE.matcher(values.get(name)).matches()) {
                throw new InvalidRequestException("variables." + name, "a value must be a single line");
            }
        }
        return PLACEHOLDER.matcher(text).replaceAll(match -> Matcher.quoteReplacement(values.get(match.group(1))));
    }

    /** The rendered configuration as the lines a switch session takes. */
    public List<String> renderLines(Map<String, String> values) {
        return render(values).lines().toList();
    }
}
