package dev.conveyor.rack;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a server must have, and the firmware it must run at least.
 *
 * @param accelerators the processors other than CPUs it must carry; none when omitted
 * @param provisioning what "provision, then validate" does first; null when servers of this profile are not provisioned
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HardwareProfile(Cpu cpu, Integer memoryGiB, Drives drives, Nics nics, FirmwareBaseline firmware,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Accelerator> accelerators, Provisioning provisioning) {
    /** The {@code ProcessorType} values a profile may expect besides CPUs (DSP0268 Processor). */
    public static final List<String> ACCELERATOR_TYPES = List.of("GPU", "FPGA", "DSP", "Accelerator", "OEM");

    public HardwareProfile {
        accelerators = Specs.list(accelerators);
    }

    /**
     * {@code count} processors of {@code type} (one of {@link #ACCELERATOR_TYPES}) and
     * {@code model}, as the BMC reports them: {@code {type: FPGA, model: "Intel Stratix 10", count: 1}}.
     */
    public record Accelerator(String type, String model, Integer count) {}

    /** Processor model (as the BMC reports it) and socket count. */
    public record Cpu(String model, Integer count) {}

    /** At least {@code count} drives of at least {@code minSizeGB} (10^9 bytes) each. */
    public record Drives(Integer count, Integer minSizeGB) {}

    /** Network interfaces and the link speed of each, in Mb/s. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Nics(Integer count, List<Integer> speedsMbps) {
        public Nics {
            speedsMbps = Specs.list(speedsMbps);
        }
    }

    /** Minimum firmware versions; a server at or above both passes. */
    public record FirmwareBaseline(String bios, String bmc) {}
}
