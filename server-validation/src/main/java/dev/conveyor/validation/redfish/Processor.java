package dev.conveyor.validation.redfish;

/**
 * A processor socket or device; an empty socket has state Absent.
 *
 * @param processorType {@code ProcessorType}: "CPU", "GPU", "FPGA", "DSP", "Accelerator", "OEM", …;
 *     empty when the BMC does not report it
 */
public record Processor(String id, String name, String model, String processorType, int totalCores,
        ResourceStatus status) {
    public static final String CPU = "CPU";

    /**
     * A central processor: {@code ProcessorType} CPU, or no type at all (BMCs older than the
     * property list only CPUs in {@code Processors}).
     */
    public boolean cpu() {
        return processorType.isEmpty() || CPU.equalsIgnoreCase(processorType);
    }
}
