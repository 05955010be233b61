package dev.conveyor.bench;

/**
 * The exactly-once check of one run.
 *
 * @param expected   jobs submitted
 * @param duplicates jobs that ran (completed) more than once
 * @param missing    jobs that did not end successfully, or never ran
 */
record Tally(long expected, long duplicates, long missing) {

    static final Tally NOT_CHECKED = new Tally(0, 0, 0);

    Tally {
        if (expected < 0 || duplicates < 0 || missing < 0) {
            throw new IllegalArgumentException("counts cannot be negative: " + expected + "/" + duplicates + "/"
                    + missing);
        }
    }

    boolean exactlyOnce() {
        return duplicates == 0 && missing == 0;
    }

    Tally plus(Tally other) {
        return new Tally(expected + other.expected, duplicates + other.duplicates, missing + other.missing);
    }
}
