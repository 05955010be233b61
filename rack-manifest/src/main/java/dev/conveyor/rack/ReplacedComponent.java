package dev.conveyor.rack;

/**
 * The part a repair replaced, named as the BMC names it (e.g. kind MEMORY, name "DIMM A3"), so its
 * health can be checked after the repair.
 */
public record ReplacedComponent(Kind kind, String name) {
    public enum Kind {
        PROCESSOR,
        MEMORY,
        DRIVE,
        NIC,
        FAN,
        POWER_SUPPLY
    }
}
