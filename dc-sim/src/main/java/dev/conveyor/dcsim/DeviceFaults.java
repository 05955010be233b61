package dev.conveyor.dcsim;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The faults of one simulated device, changed at runtime by tests or the admin endpoint and read by
 * the device's request threads. Written rarely and read on every request, hence copy-on-write.
 */
public final class DeviceFaults {
    /** A fault and when it was injected: a new SEL entry is dated by it. */
    record Active(Fault fault, Instant since) {}

    private final String device;
    private final boolean bmc;
    private final Clock clock;
    private final Consumer<DeviceFaults> onChange;
    private final List<Active> active = new CopyOnWriteArrayList<>();

    DeviceFaults(String device, boolean bmc, Clock clock, Consumer<DeviceFaults> onChange) {
        this.device = device;
        this.bmc = bmc;
        this.clock = clock;
        this.onChange = onChange;
    }

    public String device() {
        return device;
    }

    /** @throws IllegalArgumentException if this kind of device cannot have the fault */
    public void inject(Fault fault) {
        boolean applies = bmc ? fault.appliesToBmc() : fault.appliesToSwitch();
        if (!applies) {
            throw new IllegalArgumentException(fault.getClass().getSimpleName() + " does not apply to "
                    + (bmc ? "a BMC" : "a switch") + " (" + device + ")");
        }
        active.add(new Active(fault, clock.instant()));
        onChange.accept(this);
    }

    /** Removes every fault: the device answers as the manifest says again. */
    public void clear() {
        active.clear();
        onChange.accept(this);
    }

    public List<Fault> list() {
        return active.stream().map(Active::fault).toList();
    }

    <T extends Fault> Stream<T> all(Class<T> type) {
        return active.stream().map(Active::fault).filter(type::isInstance).map(type::cast);
    }

    <T extends Fault> Optional<T> first(Class<T> type) {
        return all(type).findFirst();
    }

    boolean has(Class<? extends Fault> type) {
        return first(type).isPresent();
    }

    Stream<Active> entries() {
        return active.stream();
    }
}
