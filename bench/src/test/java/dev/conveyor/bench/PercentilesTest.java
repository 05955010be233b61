package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfOneToHundred() {
        List<Double> values = IntStream.rangeClosed(1, 100).mapToObj(i -> (double) (101 - i)).toList();

        assertThat(Percentiles.summary(values)).containsExactly(50.0, 95.0, 99.0, 100.0);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Percentiles.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Percentiles.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
