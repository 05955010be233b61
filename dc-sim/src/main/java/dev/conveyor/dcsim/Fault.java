package dev.conveyor.dcsim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Something wrong with one simulated device. Injected through {@link DeviceFaults} or the admin
 * endpoint as JSON, e.g. {@code {"type": "failed-fan", "name": "Fan 3"}}.
 *
 * <p>Components are named as the device reports them: BMC fans "Fan 1".."Fan 6", power supplies
 * "PSU 1" and "PSU 2", DIMMs "DIMM A0".., firmware "BIOS" and "BMC"; switch fans by label ("1/1",
 * "PowerSupply1/1"), power supplies by slot ("1", "2"), ports by interface name.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Fault.FailedFan.class, name = "failed-fan"),
    @JsonSubTypes.Type(value = Fault.FailedPowerSupply.class, name = "failed-psu"),
    @JsonSubTypes.Type(value = Fault.FirmwareBelowBaseline.class, name = "firmware-below-baseline"),
    @JsonSubTypes.Type(value = Fault.MissingDimm.class, name = "missing-dimm"),
    @JsonSubTypes.Type(value = Fault.WrongSerial.class, name = "wrong-serial"),
    @JsonSubTypes.Type(value = Fault.SwappedCables.class, name = "swapped-cables"),
    @JsonSubTypes.Type(value = Fault.MissingCable.class, name = "missing-cable"),
    @JsonSubTypes.Type(value = Fault.WrongOsVersion.class, name = "wrong-os"),
    @JsonSubTypes.Type(value = Fault.Unreachable.class, name = "unreachable"),
    @JsonSubTypes.Type(value = Fault.Slow.class, name = "slow"),
    @JsonSubTypes.Type(value = Fault.Flapping.class, name = "flapping"),
    @JsonSubTypes.Type(value = Fault.ImageFails.class, name = "image-fails"),
    @JsonSubTypes.Type(value = Fault.ResetHangs.class, name = "reset-hangs"),
    @JsonSubTypes.Type(value = Fault.CriticalLogEntry.class, name = "critical-log-entry"),
    // The shapes of real BMCs (BmcShapes): not faults of the hardware so much as other ways to report it.
    @JsonSubTypes.Type(value = Fault.ExtraProcessor.class, name = "extra-processor"),
    @JsonSubTypes.Type(value = Fault.AbsentCpuSocket.class, name = "absent-cpu-socket"),
    @JsonSubTypes.Type(value = Fault.SimpleStorageOnly.class, name = "simple-storage-only"),
    @JsonSubTypes.Type(value = Fault.AbsentDriveBay.class, name = "absent-drive-bay"),
    @JsonSubTypes.Type(value = Fault.DriveHealth.class, name = "drive-health"),
    @JsonSubTypes.Type(value = Fault.VlanInterface.class, name = "vlan-interface"),
    @JsonSubTypes.Type(value = Fault.HostInterface.class, name = "host-interface"),
    @JsonSubTypes.Type(value = Fault.NicLinkDown.class, name = "nic-link-down"),
    @JsonSubTypes.Type(value = Fault.SensorsThermal.class, name = "sensors-thermal"),
    @JsonSubTypes.Type(value = Fault.TemperatureReading.class, name = "temperature"),
    @JsonSubTypes.Type(value = Fault.NoTemperatures.class, name = "no-temperatures"),
    @JsonSubTypes.Type(value = Fault.PagedLog.class, name = "paged-log"),
    @JsonSubTypes.Type(value = Fault.PowerSupplyWarning.class, name = "psu-warning"),
})
public sealed interface Fault {
    /** Health values a fault may give a component, as Redfish spells them. */
    List<String> HEALTH = List.of("OK", "Warning", "Critical");

    /** Whether a BMC can have this fault. */
    default boolean appliesToBmc() {
        return true;
    }

    /** Whether a switch can have this fault. */
    default boolean appliesToSwitch() {
        return true;
    }

    /** The fan reports failed (BMC: health Critical, 0 RPM; switch: status "failed"). */
    record FailedFan(String name) implements Fault {
        public FailedFan {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The power supply lost power (BMC: health Critical; switch: state "powerLoss"). */
    record FailedPowerSupply(String name) implements Fault {
        public FailedPowerSupply {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The firmware inventory reports this version for the component ("BIOS" or "BMC"). */
    record FirmwareBelowBaseline(String component, String version) implements Fault {
        public FirmwareBelowBaseline {
            Objects.requireNonNull(component, "component");
            Objects.requireNonNull(version, "version");
        }

        @Override
        public boolean appliesToSwitch() {
            return false;
        }
    }

    /** The DIMM's slot reports Absent and the memory total shrinks accordingly. */
    record MissingDimm(String name) implements Fault {
        public MissingDimm {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public boolean appliesToSwitch() {
            return false;
        }
    }

    /** The device reports this serial number instead of the manifest's. */
    record WrongSerial(String serial) implements Fault {
        public WrongSerial {
            Objects.requireNonNull(serial, "serial");
        }
    }

    /** LLDP on the two ports reports each other's neighbor. */
    record SwappedCables(String portA, String portB) implements Fault {
        public SwappedCables {
            Objects.requireNonNull(portA, "portA");
            Objects.requireNonNull(portB, "portB");
        }

        @Override
        public boolean appliesToBmc() {
            return false;
        }
    }

    /** The port has no LLDP neighbor and its link is down. */
    record MissingCable(String port) implements Fault {
        public MissingCable {
            Objects.requireNonNull(port, "port");
        }

        @Override
        public boolean appliesToBmc() {
            return false;
        }
    }

    /** The switch runs this OS version instead of the manifest's target. */
    record WrongOsVersion(String version) implements Fault {
        public WrongOsVersion {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public boolean appliesToBmc() {
            return false;
        }
    }

    /** The device's port refuses connections. */
    record Unreachable() implements Fault {}

    /** Every response is delayed, to outlast a client's timeout. */
    record Slow(long delayMillis) implements Fault {
        public Slow {
            if (delayMillis <= 0 || delayMillis > Duration.ofMinutes(10).toMillis()) {
                throw new IllegalArgumentException("delayMillis must be between 1 and 600000");
            }
        }

        public Duration delay() {
            return Duration.ofMillis(delayMillis);
        }
    }

    /** Every other request is answered 503 Service Unavailable. */
    record Flapping() implements Fault {}

    /**
     * A firmware update of the component ("BIOS", "BMC") fails: its task ends in TaskState
     * Exception with this message, and the version does not change.
     */
    record ImageFails(String component, String message) implements Fault {
        public ImageFails {
            Objects.requireNonNull(component, "component");
            message = message == null || message.isBlank() ? "the image failed verification and was not applied" : message;
        }

        @Override
        public boolean appliesToSwitch() {
            return false;
        }
    }

    /** A reset never completes: the system stays PoweringOn (hung in POST). */
    record ResetHangs() implements Fault {
        @Override
        public boolean appliesToSwitch() {
            return false;
        }
    }

    /** A new Critical entry appears in the system event log, dated when the fault is injected. */
    record CriticalLogEntry(String message) implements Fault {
        public CriticalLogEntry {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean appliesToSwitch() {
            return false;
        }
    }

    /** A BMC-only shape or fault: a switch has no Redfish tree to reshape. */
    sealed interface BmcShape extends Fault {
        @Override
        default boolean appliesToSwitch() {
            return false;
        }
    }

    /** A processor other than a CPU beside the CPUs, e.g. {@code {"processorType": "FPGA", "model": "Intel Stratix 10"}}. */
    record ExtraProcessor(String processorType, String model) implements BmcShape {
        public ExtraProcessor {
            Objects.requireNonNull(processorType, "processorType");
            Objects.requireNonNull(model, "model");
        }
    }

    /** One more CPU socket, empty (state Absent), as two-socket boards with one CPU report. */
    record AbsentCpuSocket() implements BmcShape {}

    /** Storage only as {@code SimpleStorage} (no {@code Storage} link), as older BMCs report it. */
    record SimpleStorageOnly() implements BmcShape {}

    /** One more drive bay, empty (state Absent), listed among the drives. */
    record AbsentDriveBay() implements BmcShape {}

    /** The drive ("Drive 0", "Drive 1", …) reports this health ("Warning", "Critical"). */
    record DriveHealth(String name, String health) implements BmcShape {
        public DriveHealth {
            Objects.requireNonNull(name, "name");
            requireHealth(health);
        }
    }

    /**
     * A VLAN on the first NIC listed among the system's interfaces; {@code typed} says
     * {@code EthernetInterfaceType: Virtual} (schema v1_6 on), otherwise only {@code VLAN} and
     * {@code Links.RelatedInterfaces} tell it from a port.
     */
    record VlanInterface(int vlanId, boolean typed) implements BmcShape {
        public VlanInterface {
            if (vlanId < 1 || vlanId > 4094) {
                throw new IllegalArgumentException("vlanId must be between 1 and 4094");
            }
        }
    }

    /** The host interface to the BMC (DSP0270): a USB NIC among the system's interfaces, named by the manager. */
    record HostInterface() implements BmcShape {}

    /** The NIC ("NIC 1", …) reports LinkDown and this health. */
    record NicLinkDown(String name, String health) implements BmcShape {
        public NicLinkDown {
            Objects.requireNonNull(name, "name");
            requireHealth(health);
        }
    }

    /**
     * Temperatures and fans through {@code ThermalSubsystem} and the {@code Sensors} collection
     * instead of the legacy {@code Thermal}: the {@code ThermalMetrics} readings carry no
     * thresholds, the {@code Sensor} resources do.
     */
    record SensorsThermal() implements BmcShape {}

    /** The temperature sensor ("Inlet Temp", "CPU1 Temp", …) reads this, with this health when given. */
    record TemperatureReading(String name, double celsius, String health) implements BmcShape {
        public TemperatureReading {
            Objects.requireNonNull(name, "name");
            if (health != null) {
                requireHealth(health);
            }
        }
    }

    /** The BMC reports no temperature at all. */
    record NoTemperatures() implements BmcShape {}

    /**
     * The SEL's entries in pages of {@code pageSize}, linked by {@code nextLinkProperty}:
     * "Members@odata.nextLink" (DSP0266) or "@odata.nextLink" (as some services send it).
     */
    record PagedLog(int pageSize, String nextLinkProperty) implements BmcShape {
        public PagedLog {
            if (pageSize < 1) {
                throw new IllegalArgumentException("pageSize must be positive");
            }
            if (!List.of("Members@odata.nextLink", "@odata.nextLink").contains(nextLinkProperty)) {
                throw new IllegalArgumentException("nextLinkProperty must be Members@odata.nextLink or @odata.nextLink");
            }
        }
    }

    /** The power supply ("PSU 1", "PSU 2") reports health Warning (for example one lost input of two). */
    record PowerSupplyWarning(String name) implements BmcShape {
        public PowerSupplyWarning {
            Objects.requireNonNull(name, "name");
        }
    }

    private static void requireHealth(String health) {
        if (!HEALTH.contains(health)) {
            throw new IllegalArgumentException("health must be one of " + HEALTH + ", got " + health);
        }
    }
}
