package dev.conveyor.tor.job;

/** What LLDP showed on a planned port, compared with the cabling plan. */
public enum UplinkStatus {
    /** Not checked yet. */
    PLANNED,
    OK,
    /** No LLDP neighbor on the port: no cable, a dead optic, or LLDP off at the far end. */
    MISSING,
    /** A neighbor, but not the planned device. */
    WRONG_DEVICE,
    /** The planned device, but on another of its ports. */
    WRONG_PORT,
    /** This port and another planned port each see the other's planned neighbor: two cables crossed. */
    SWAPPED
}
