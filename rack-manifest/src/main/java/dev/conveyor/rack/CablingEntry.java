package dev.conveyor.rack;

/**
 * One planned cable: a local switch port and the device and port at its other end, as LLDP will
 * name them. A server neighbor is named by its serial or asset tag.
 */
public record CablingEntry(String port, String neighbor, String neighborPort) {}
