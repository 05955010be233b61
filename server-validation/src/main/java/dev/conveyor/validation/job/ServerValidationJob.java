package dev.conveyor.validation.job;

import dev.conveyor.core.entity.Job;
import dev.conveyor.rack.HardwareProfile;
import dev.conveyor.rack.ServerSpec;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.PrimaryKeyJoinColumn;
import jakarta.persistence.Table;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A server validation job: the server, where it is racked, and what it must have. Rows are written
 * by {@link ServerValidationManager} in the submitting transaction; this mapping only reads them.
 */
@Entity
@Table(name = "server_validation_job")
@PrimaryKeyJoinColumn(name = "job_id")
public class ServerValidationJob extends Job {
    @Column(nullable = false, length = 64)
    private String rack;

    @Column(nullable = false, length = 64)
    private String serial;

    @Column(name = "asset_tag", nullable = false, length = 64)
    private String assetTag;

    @Column(name = "position_u", nullable = false)
    private int positionU;

    @Column(name = "bmc_address", nullable = false, length = 300)
    private String bmcAddress;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private ServerSpec.Reason reason;

    @Column(name = "replaced_kind", length = 16)
    private String replacedKind;

    @Column(name = "replaced_name", length = 128)
    private String replacedName;

    @Column(name = "profile_name", length = 64)
    private String profileName;

    @Column(name = "cpu_model", nullable = false, length = 128)
    private String cpuModel;

    @Column(name = "cpu_count", nullable = false)
    private int cpuCount;

    @Column(name = "memory_gib", nullable = false)
    private int memoryGib;

    @Column(name = "drive_count", nullable = false)
    private int driveCount;

    @Column(name = "drive_min_gb", nullable = false)
    private int driveMinGb;

    @Column(name = "nic_count", nullable = false)
    private int nicCount;

    @Column(name = "nic_speeds_mbps", nullable = false, length = 512)
    private String nicSpeedsMbps;

    /** "count|type|model" per kind, ';'-separated; see {@link #getAccelerators()}. */
    @Column(nullable = false, length = 2048)
    private String accelerators;

    @Column(name = "bios_min", nullable = false, length = 32)
    private String biosMin;

    @Column(name = "bmc_min", nullable = false, length = 32)
    private String bmcMin;

    protected ServerValidationJob() {
    }

    public String getRack() {
        return rack;
    }

    public String getSerial() {
        return serial;
    }

    public String getAssetTag() {
        return assetTag;
    }

    public int getPositionU() {
        return positionU;
    }

    public String getBmcAddress() {
        return bmcAddress;
    }

    public ServerSpec.Reason getReason() {
        return reason;
    }

    /** A {@code ReplacedComponent.Kind} name, or null for a NEW server. */
    public String getReplacedKind() {
        return replacedKind;
    }

    public String getReplacedName() {
        return replacedName;
    }

    public String getProfileName() {
        return profileName;
    }

    public String getCpuModel() {
        return cpuModel;
    }

    public int getCpuCount() {
        return cpuCount;
    }

    public int getMemoryGib() {
        return memoryGib;
    }

    public int getDriveCount() {
        return driveCount;
    }

    public int getDriveMinGb() {
        return driveMinGb;
    }

    public int getNicCount() {
        return nicCount;
    }

    public List<Integer> getNicSpeedsMbps() {
        return nicSpeedsMbps.isEmpty() ? List.of()
                : Arrays.stream(nicSpeedsMbps.split(",")).map(String::strip).map(Integer::valueOf).toList();
    }

    public List<HardwareProfile.Accelerator> getAccelerators() {
        return accelerators.isEmpty() ? List.of() : Arrays.stream(accelerators.split(";")).map(entry -> {
            String[] parts = entry.split("\\|", 3);
            return new HardwareProfile.Accelerator(parts[1], parts[2], Integer.valueOf(parts[0]));
        }).toList();
    }

    /** The column's text for a profile's accelerators. */
    static String accelerators(List<HardwareProfile.Accelerator> accelerators) {
        return accelerators.stream().map(a -> a.count() + "|" + a.type() + "|" + a.model())
                .collect(Collectors.joining(";"));
    }

    public String getBiosMin() {
        return biosMin;
    }

    public String getBmcMin() {
        return bmcMin;
    }
}
