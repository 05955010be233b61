package dev.conveyor.rack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.InvalidRequestException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTemplateTest {
    private static final String TEMPLATE = """
            hostname {{hostname}}
            router bgp {{ asn }}
               neighbor {{peer}} remote-as {{peer_asn}}
               neighbor {{peer}} description spine
            """;

    @Test
    void substitutesEveryPlaceholderAndNothingElse() {
        String rendered = ConfigTemplate.parse(TEMPLATE).render(Map.of(
                "hostname", "r1-tor-a", "asn", "65101", "peer", "10.1.0.0", "peer_asn", "65000", "unused", "x"));

        assertThat(rendered).isEqualTo("""
                hostname r1-tor-a
                router bgp 65101
                   neighbor 10.1.0.0 remote-as 65000
                   neighbor 10.1.0.0 description spine
                """);
    }

    @Test
    void listsItsVariables() {
        assertThat(ConfigTemplate.parse(TEMPLATE).variables()).containsExactlyInAnyOrder("hostname", "asn", "peer", "peer_asn");
    }

    @Test
    void namesEveryMissingVariable() {
        ConfigTemplate template = ConfigTemplate.parse(TEMPLATE);

        assertThatThrownBy(() -> template.render(Map.of("hostname", "r1-tor-a", "peer", "10.1.0.0")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("variables");
                    assertThat(e.rule()).isEqualTo("no value for template variable(s) {{asn}}, {{peer_asn}}");
                });
    }

    @Test
    void refusesMalformedPlaceholdersWithTheirLine() {
        assertThatThrownBy(() -> ConfigTemplate.parse("hostname {{hostname}}\nrouter bgp {{ asn\n"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("template");
                    assertThat(e.rule()).startsWith("malformed placeholder on line 2");
                });
        assertThatThrownBy(() -> ConfigTemplate.parse("{{ $(reboot) }}")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void refusesValuesThatWouldAddLines() {
        ConfigTemplate template = ConfigTemplate.parse("hostname {{hostname}}\n");

        assertThatThrownBy(() -> template.render(Map.of("hostname", "x\nreload now")))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("variables.hostname"));
    }

    @Test
    void valuesAreInsertedLiterally() {
        assertThat(ConfigTemplate.parse("description {{d}}").render(Map.of("d", "$1 {{x}} \\n")))
                .isEqualTo("description $1 {{x}} \\n");
    }
}
