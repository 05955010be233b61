package dev.conveyor.validation.job;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Orders firmware versions the way vendors number them: dot-, dash- or underscore-separated parts,
 * numeric parts compared as numbers ({@code 2.10 > 2.9}), others as text; a version that is a prefix
 * of another is the older ({@code 7.10 < 7.10.1}).
 */
final class FirmwareVersion {
    static final Comparator<String> ORDER = FirmwareVersion::compare;
    private static final Pattern SEPARATORS = Pattern.compile("[._-]");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");

    private FirmwareVersion() {
    }

    static int compare(String a, String b) {
        String[] x = SEPARATORS.split(a.strip());
        String[] y = SEPARATORS.split(b.strip());
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = NUMBER.matcher(x[i]).matches() && NUMBER.matcher(y[i]).matches()
                    ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]))
                    : x[i].compareToIgnoreCase(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    static boolean atLeast(String version, String baseline) {
        return compare(version, baseline) >= 0;
    }
}
