package dev.conveyor.validation.workflow;

/** What a device of a rack is. */
public enum DeviceKind {
    SWITCH,
    SERVER
}
