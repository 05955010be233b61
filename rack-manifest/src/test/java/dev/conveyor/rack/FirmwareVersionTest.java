package dev.conveyor.rack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.rack.FirmwareVersion.Format;
import dev.conveyor.rack.FirmwareVersion.Order;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FirmwareVersionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            P79 v1.45 (12/06/2017) | ROM_FAMILY | P79     | 1.45
            U46 v2.90 (10/14/2022) | ROM_FAMILY | U46     | 2.90
            P79 v1.40              | ROM_FAMILY | P79     | 1.40
            2.19.1                 | DOTTED     |         | 2.19.1
            1.45.455b66-rev4       | DOTTED     |         | 1.45
            TEE180F-3.20           | PREFIXED   | TEE180F | 3.20
            A08                    | REVISION   | A       | 08
            5.10.50.00             | DOTTED     |         | 5.10.50.00
            """)
    void everyVendorFormatOfTheFieldParses(String text, Format format, String family, String numbers) {
        FirmwareVersion version = FirmwareVersion.parse(text).orElseThrow();

        assertThat(version.format()).isEqualTo(format);
        assertThat(version.family()).isEqualTo(family == null ? "" : family);
        assertThat(version.numbers()).isEqualTo(java.util.Arrays.stream(numbers.split("\\."))
                .map(BigInteger::new).toList());
    }

    @Test
    void aDottedVersionKeepsItsBuildTag() {
        assertThat(FirmwareVersion.parse("1.45.455b66-rev4").orElseThrow().build()).isEqualTo("455b66-rev4");
        assertThat(FirmwareVersion.parse("2.19.1").orElseThrow().build()).isEmpty();
    }

    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2.10.0                 | 2.9.9                  | AT_LEAST
            7.9.1                  | 7.10.30                | BELOW
            2.3.5                  | 2.3.5                  | AT_LEAST
            7.10                   | 7.10.1                 | BELOW
            7.10.0                 | 7.10                   | AT_LEAST
            5.10.50.00             | 5.10.50.0              | AT_LEAST
            5.10.50.00             | 5.10.100.00            | BELOW
            P79 v1.45 (12/06/2017) | P79 v1.50              | BELOW
            P79 v1.52 (01/09/2019) | P79 v1.50              | AT_LEAST
            p79 v1.50 (01/09/2019) | P79 v1.50 (12/06/2017) | AT_LEAST
            U46 v2.90 (10/14/2022) | U46 v2.100             | BELOW
            TEE180F-3.20           | TEE180F-3.4            | AT_LEAST
            TEE180F-3.20           | TEE180F-3.30           | BELOW
            A08                    | A10                    | BELOW
            A10                    | A08                    | AT_LEAST
            1.45.455b66-rev4       | 1.45                   | AT_LEAST
            1.45.455b66-rev4       | 1.46                   | BELOW
            1.45.455b66-rev4       | 1.45.455b66-rev4       | AT_LEAST
            """)
    void numbersCompareAsNumbersWithinOneFamily(String observed, String baseline, Order order) {
        assertThat(FirmwareVersion.compare(observed, baseline).order()).isEqualTo(order);
    }

    @ParameterizedTest(name = "{0} against {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            P79 v1.45 (12/06/2017) | 1.50                   | different version formats
            U46 v2.90 (10/14/2022) | P79 v1.40              | family U46
            TEE180F-3.20           | TEE190F-3.10           | family TEE180F
            A08                    | B02                    | family A
            1.45.455b66-rev4       | 1.45.455b66-rev5       | different builds of 1.45
            A08                    | 2.19.1                 | different version formats
            2.19.1                 | 2.19.1 beta            | baseline '2.19.1 beta' is not a version format
            build 7                | 2.19.1                 | 'build 7' is not a version format
            """)
    void versionsWithoutAnOrderAreIncomparableAndSaySo(String observed, String baseline, String reason) {
        FirmwareVersion.Comparison comparison = FirmwareVersion.compare(observed, baseline);

        assertThat(comparison.order()).isEqualTo(Order.INCOMPARABLE);
        assertThat(comparison.reason()).contains(reason);
    }

    @Test
    void textsOutsideTheFormatsDoNotParse() {
        for (String text : List.of("", "   ", "v", "1..2", "P79 v", "release-candidate", "1.2 (not a date)",
                "0123456789012345678901234567890123", "1.2;rm")) {
            assertThat(FirmwareVersion.parse(text)).as(text).isEmpty();
        }
    }
}
