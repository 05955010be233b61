package dev.conveyor.rack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HostAddressTest {
    @Test
    void parsesHostsWithAndWithoutPorts() {
        assertThat(HostAddress.parse("10.0.0.5")).contains(new HostAddress("10.0.0.5", OptionalInt.empty()));
        assertThat(HostAddress.parse("bmc-r1-07.dc1.example:8443"))
                .contains(new HostAddress("bmc-r1-07.dc1.example", OptionalInt.of(8443)));
        assertThat(HostAddress.parse("[fd00::5]:443").orElseThrow().httpsUri()).hasToString("https://[fd00::5]:443");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.256", "10.0.0", "host:0", "host:65536", "-bad.example", "a b", "fd00::5",
        "[zz::1]", "http://10.0.0.1", "host:80:90"})
    void rejectsMalformedAddresses(String text) {
        assertThat(HostAddress.parse(text)).isEmpty();
    }
}
