package dev.conveyor.rack;

import java.util.regex.Pattern;

/** The formats of the manifest's identifiers, each with the sentence that explains it. */
enum FieldRules {
    RACK_ID("[A-Za-z0-9][A-Za-z0-9_-]{0,62}", "1-63 letters, digits, '-' or '_'"),
    SERIAL("[A-Za-z0-9][A-Za-z0-9._-]{2,63}", "3-64 letters, digits, '.', '-' or '_'"),
    ASSET_TAG("[A-Za-z0-9][A-Za-z0-9._-]{0,63}", "1-64 letters, digits, '.', '-' or '_'"),
    MODEL("[A-Za-z0-9][A-Za-z0-9 ._/+()-]{0,127}", "1-128 letters, digits, spaces or ._/+()-"),
    VERSION("[0-9A-Za-z][0-9A-Za-z._-]{0,31}", "1-32 letters, digits, '.', '-' or '_'"),
    ROLE("[a-z][a-z0-9-]{0,31}", "1-32 lowercase letters, digits or '-'"),
    PORT("[A-Za-z][A-Za-z0-9/._:-]{0,47}", "an interface name such as Ethernet1/1 or eth0"),
    NEIGHBOR("[A-Za-z0-9][A-Za-z0-9._-]{0,252}", "a hostname, serial or asset tag"),
    PROFILE_NAME("[a-z0-9][a-z0-9_-]{0,63}", "1-64 lowercase letters, digits, '-' or '_'"),
    VARIABLE_VALUE("[^\\r\\n]{0,1024}", "a single line of at most 1024 characters");

    private final Pattern pattern;
    private final String description;

    FieldRules(String regex, String description) {
        this.pattern = Pattern.compile(regex);
        this.description = description;
    }

    boolean accepts(String value) {
        return pattern.matcher(value).matches();
    }

    String description() {
        return description;
    }
}
