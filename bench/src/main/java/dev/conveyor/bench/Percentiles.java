package dev.conveyor.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics by the nearest-rank method. */
final class Percentiles {

    private Percentiles() {
    }

    /** p50, p95, p99 and max of {@code values}, which must not be empty. */
    static List<Double> summary(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return List.of(rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted.getLast());
    }

    /** The median of {@code values}; for an even count, the mean of the middle two. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double rank(List<Double> sorted, int percent) {
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
