package dev.conveyor.core;

import java.util.Set;

/**
 * @param lost            leases that are no longer ours: the handler must stop, its result is void
 * @param cancelRequested leases still ours whose job was asked to cancel: the handler is interrupted
 */
public record HeartbeatResult(Set<Lease> lost, Set<Lease> cancelRequested) {
    public static final HeartbeatResult NONE = new HeartbeatResult(Set.of(), Set.of());
}
