package dev.conveyor.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckResultTest {

    @Test
    void equalPassesOrFailsWithTheMessage() {
        assertThat(CheckResult.equal("serial", "SN1", "SN1", "wrong").status()).isEqualTo(CheckStatus.PASS);
        CheckResult failed = CheckResult.equal("serial", "SN1", "SN9", "another switch");
        assertThat(failed.failed()).isTrue();
        assertThat(failed.describe()).isEqualTo("serial: another switch (expected SN1, observed SN9)");
    }

    @Test
    void textsAreCutToTheirColumnsAndNeverNull() {
        CheckResult oversized = CheckResult.fail("x", "e".repeat(5000), null, "m");

        assertThat(oversized.expected()).hasSize(CheckResult.MAX_TEXT).endsWith("…");
        assertThat(oversized.observed()).isEmpty();
        assertThat(CheckResult.skipped("verify", "not configured").describe()).isEqualTo("verify: not configured");
    }
}
