package dev.conveyor.validation.workflow;

/** What a device of a rack is. */
public enum DeviceKind {
    SWITCH,
    SERVER,
    /** A server's provisioning job, which its validation waits for ("provision, then validate"). */
    PROVISIONING
}
