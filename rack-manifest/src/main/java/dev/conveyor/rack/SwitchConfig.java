package dev.conveyor.rack;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** A configuration template with {@code {{name}}} placeholders and the values to fill them. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SwitchConfig(String template, Map<String, String> variables) {
    public SwitchConfig {
        variables = Specs.map(variables);
    }
}
