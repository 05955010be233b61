package dev.conveyor.validation.workflow;

import dev.conveyor.core.ConveyorException;

/** No validation of this rack was ever requested (or its jobs have been pruned). */
public final class UnknownRackException extends ConveyorException {
    private final String rackId;

    public UnknownRackException(String rackId) {
        super("rack " + rackId + " has no validation");
        this.rackId = rackId;
    }

    public String rackId() {
        return rackId;
    }
}
