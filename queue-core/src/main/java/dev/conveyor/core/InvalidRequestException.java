package dev.conveyor.core;

/** Input that breaks a documented rule; names the field and the rule. Nothing was written. */
public final class InvalidRequestException extends ConveyorException {
    private final String field;
    private final String rule;

    public InvalidRequestException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
        this.rule = rule;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }
}
