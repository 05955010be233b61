package dev.conveyor.device;

/**
 * The queue every device job runs in. One worker pool serves a whole rack (its switches, then its
 * servers), and concurrency keys rather than separate queues decide how much runs at once; so the
 * families share the name, and it lives here rather than in one of them.
 */
public final class DeviceQueues {
    public static final String DATACENTER = "datacenter";

    private DeviceQueues() {
    }
}
