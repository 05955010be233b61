package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private static final Tally CLEAN = new Tally(100, 0, 0);

    @Test
    void drainRatiosAreToTheBestLimitMedianAndW4IsToConveyorsOwnDrain() {
        ResultTable table = new ResultTable(List.of(
                row("limit", "B=1", Figure.DRAIN, 1000, CLEAN), row("limit", "B=1", Figure.DRAIN, 3000, CLEAN),
                row("limit", "B=50", Figure.DRAIN, 10_000, CLEAN), row("limit", "B=50", Figure.DRAIN, 12_000, CLEAN),
                row("conveyor", "1x8", Figure.DRAIN, 8_000, CLEAN), row("conveyor", "1x8", Figure.DRAIN, 9_000, CLEAN),
                row("conveyor", "1x8", Figure.HISTORY_DRAIN, 6_800, CLEAN)));

        String markdown = table.markdown();

        String drain = " | W1 drain, first claim to last completion (jobs/s) | ";
        assertThat(markdown).contains("| limit | B=1" + drain + "2,000 | 0.18 |");
        assertThat(markdown).contains("| limit | B=50" + drain + "11,000 | 1.00 |");
        assertThat(markdown).contains("| conveyor | 1x8" + drain + "8,500 | 0.77 |");
        assertThat(markdown).contains("| 6,800 | 0.80 × W1 drain |");
        assertThat(table.violations()).isEmpty();
    }

    @Test
    void aDuplicateInAnyRoundIsAViolation() {
        ResultTable table = new ResultTable(List.of(row("conveyor", "1x8", Figure.DRAIN, 8_000, CLEAN),
                row("conveyor", "1x8", Figure.DRAIN, 8_000, new Tally(100, 1, 0))));

        assertThat(table.violations()).singleElement().asString().contains("duplicates = 1");
        assertThat(table.csv())
                .contains("median,conveyor,1x8,\"W1 drain, first claim to last completion\",jobs/s,8000.000,—,200,1,0");
    }

    private static Measurement row(String system, String config, Figure figure, double value, Tally tally) {
        return new Measurement(system, config, figure, List.of(value), tally, Map.of("bench", 10.0), "");
    }
}
