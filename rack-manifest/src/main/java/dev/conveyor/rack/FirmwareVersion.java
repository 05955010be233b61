package dev.conveyor.rack;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A firmware version as BMCs report them, and the one way Conveyor compares two of them.
 *
 * <p>Accepted formats (a trailing date in parentheses, as HPE prints it, is read and ignored: the
 * version decides, not its build date):
 * <table>
 * <caption>formats</caption>
 * <tr><th>format</th><th>examples</th><th>family</th><th>numbers</th></tr>
 * <tr><td>{@link Format#DOTTED}</td><td>{@code 2.19.1}, {@code 5.10.50.00}, {@code 1.45.455b66-rev4}</td>
 *     <td>none</td><td>the leading dot-separated numbers; the rest ({@code 455b66-rev4}) is a build tag</td></tr>
 * <tr><td>{@link Format#ROM_FAMILY}</td><td>{@code P79 v1.45 (12/06/2017)}, {@code U46 v2.90}</td>
 *     <td>{@code P79}</td><td>after the {@code v}</td></tr>
 * <tr><td>{@link Format#PREFIXED}</td><td>{@code TEE180F-3.20}</td><td>{@code TEE180F}</td><td>after the dash</td></tr>
 * <tr><td>{@link Format#REVISION}</td><td>{@code A08}</td><td>{@code A}</td><td>the digits</td></tr>
 * </table>
 *
 * <p>Comparison ({@link #compareTo(FirmwareVersion)}): two versions are comparable only in the same
 * format and the same family (case-insensitive): {@code U46 v2.90} says nothing about ROM family
 * {@code P79}. Then the numbers are compared as numbers, part by part, a missing part counting as
 * 0 ({@code 2.10 > 2.9}, {@code 7.10 = 7.10.0 < 7.10.1}). When the numbers are equal the build
 * tags decide only if they are equal or the baseline has none ({@code 1.45.455b66-rev4} is at
 * least {@code 1.45}); two different tags of the same numbers ({@code -rev4} against {@code -rev5}
 * of a git hash) have no order, and neither has anything outside these formats. An incomparable
 * pair is an answer of its own, never "at least".
 */
public final class FirmwareVersion {
    /** The shapes a version can have; each has its own family rule. */
    public enum Format {
        DOTTED, ROM_FAMILY, PREFIXED, REVISION
    }

    /** How an observed version stands against a baseline. */
    public enum Order {
        AT_LEAST, BELOW, INCOMPARABLE
    }

    /** An {@link Order}, and for INCOMPARABLE why. */
    public record Comparison(Order order, String reason) {
        public Comparison {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static final int MAX_LENGTH = 32;
    private static final Pattern DATE_SUFFIX = Pattern.compile("\\s*\\(\\d{1,2}/\\d{1,2}/\\d{2,4}\\)$");
    /** Numbers end where a letter or digit would not follow a separator: {@code 1.45.455b66} stops at 1.45. */
    private static final Pattern DOTTED = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})*)(?![0-9A-Za-z])(?:[.+_~-]([0-9A-Za-z][0-9A-Za-z.+_~-]*))?");
    private static final Pattern ROM_FAMILY = Pattern.compile("([A-Za-z][A-Za-z0-9]{0,15})\\s+[vV](\\d{1,9}(?:\\.\\d{1,9})*)");
    private static final Pattern PREFIXED = Pattern.compile("([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*)-(\\d{1,9}(?:\\.\\d{1,9})*)");
    private static final Pattern REVISION = Pattern.compile("([A-Za-z]{1,4})(\\d{1,9})");
    /** What a manifest is told when its baseline matches none of the formats. */
    public static final String FORMATS = "a firmware version such as 2.19.1, 5.10.50.00, 1.45.455b66-rev4, "
            + "P79 v1.45 (12/06/2017), TEE180F-3.20 or A08 (at most " + MAX_LENGTH + " characters)";

    private final String text;
    private final Format format;
    private final String family;
    private final List<BigInteger> numbers;
    private final String build;

    private FirmwareVersion(String text, Format format, String family, List<BigInteger> numbers, String build) {
        this.text = text;
        this.format = format;
        this.family = family;
        this.numbers = List.copyOf(numbers);
        this.build = build;
    }

    /** The version, or empty when the text is in none of the formats. */
    public static Optional<FirmwareVersion> parse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String version = DATE_SUFFIX.matcher(text.strip()).replaceFirst("");
        Matcher m = DOTTED.matcher(version);
        if (m.matches()) {
            return Optional.of(new FirmwareVersion(text, Format.DOTTED, "", numbers(m.group(1)),
                    m.group(2) == null ? "" : m.group(2)));
        }
        m = ROM_FAMILY.matcher(version);
        if (m.matches()) {
            return Optional.of(new FirmwareVersion(text, Format.ROM_FAMILY, m.group(1), numbers(m.group(2)), ""));
        }
        m = PREFIXED.matcher(version);
        if (m.matches()) {
            return Optional.of(new FirmwareVersion(text, Format.PREFIXED, m.group(1), numbers(m.group(2)), ""));
        }
        m = REVISION.matcher(version);
        if (m.matches()) {
            return Optional.of(new FirmwareVersion(text, Format.REVISION, m.group(1), numbers(m.group(2)), ""));
        }
        return Optional.empty();
    }

    /** How {@code observed} stands against {@code baseline}, both as the BMC and the manifest write them. */
    public static Comparison compare(String observed, String baseline) {
        Optional<FirmwareVersion> o = parse(observed);
        Optional<FirmwareVersion> b = parse(baseline);
        if (o.isEmpty()) {
            return incomparable("'" + observed + "' is not a version format Conveyor can order");
        }
        if (b.isEmpty()) {
            return incomparable("the baseline '" + baseline + "' is not a version format Conveyor can order");
        }
        return o.get().against(b.get());
    }

    /** This version, observed, against a baseline. */
    public Comparison against(FirmwareVersion baseline) {
        if (format != baseline.format) {
            return incomparable("'" + text + "' (" + describe() + ") and '" + baseline.text + "' ("
                    + baseline.describe() + ") are different version formats");
        }
        if (!family.equalsIgnoreCase(baseline.family)) {
            return incomparable("'" + text + "' is of family " + family + ", the baseline '" + baseline.text
                    + "' of family " + baseline.family);
        }
        int c = compareNumbers(numbers, baseline.numbers);
        if (c != 0) {
            return new Comparison(c > 0 ? Order.AT_LEAST : Order.BELOW, "");
        }
        if (baseline.build.isEmpty() || build.equalsIgnoreCase(baseline.build)) {
            return new Comparison(Order.AT_LEAST, "");
        }
        return incomparable("'" + text + "' and '" + baseline.text + "' are different builds of "
                + numbersText() + " with no order between them");
    }

    public Format format() {
        return format;
    }

    /** The family prefix ({@code P79}, {@code TEE180F}, {@code A}); empty for dotted versions. */
    public String family() {
        return family;
    }

    public List<BigInteger> numbers() {
        return numbers;
    }

    /** What follows the numbers of a dotted version ({@code 455b66-rev4}); empty otherwise. */
    public String build() {
        return build;
    }

    private String describe() {
        return format.name().toLowerCase(Locale.ROOT).replace('_', ' ') + (family.isEmpty() ? "" : " " + family);
    }

    private String numbersText() {
        return String.join(".", numbers.stream().map(BigInteger::toString).toList());
    }

    private static int compareNumbers(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
            BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<BigInteger> numbers(String dotted) {
        List<BigInteger> parts = new ArrayList<>();
        for (String part : dotted.split("\\.")) {
            parts.add(new BigInteger(part));
        }
        return parts;
    }

    private static Comparison incomparable(String reason) {
        return new Comparison(Order.INCOMPARABLE, reason);
    }

    @Override
    public String toString() {
        return text;
    }
}
