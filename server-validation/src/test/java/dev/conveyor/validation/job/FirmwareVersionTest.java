package dev.conveyor.validation.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FirmwareVersionTest {

    @Test
    void numericPartsCompareAsNumbers() {
        assertThat(FirmwareVersion.atLeast("2.10.0", "2.9.9")).isTrue();
        assertThat(FirmwareVersion.atLeast("7.9.1", "7.10.30")).isFalse();
        assertThat(FirmwareVersion.atLeast("2.3.5", "2.3.5")).isTrue();
    }

    @Test
    void separatorsAndSuffixesAreUnderstood() {
        assertThat(FirmwareVersion.compare("1.9-2", "1.9.2")).isZero();
        assertThat(FirmwareVersion.atLeast("7.10", "7.10.1")).isFalse();
        assertThat(FirmwareVersion.compare("U46_1.2", "u46_1.10")).isNegative();
    }
}
