package dev.conveyor.tor.job;

import dev.conveyor.core.entity.Job;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.PrimaryKeyJoinColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A TOR starter job: the switch to validate and configure. Rows are written by
 * {@link TorStarterManager} in the submitting transaction; this mapping only reads them.
 */
@Entity
@Table(name = "tor_starter_job")
@PrimaryKeyJoinColumn(name = "job_id")
public class TorStarterJob extends Job {
    private static final int TEXT_LENGTH = 65_535;

    @Column(nullable = false, length = 64)
    private String rack;

    @Column(nullable = false, length = 253)
    private String hostname;

    @Column(name = "management_address", nullable = false, length = 300)
    private String managementAddress;

    @Column(nullable = false, length = 64)
    private String serial;

    @Column(name = "expected_model", nullable = false, length = 128)
    private String expectedModel;

    @Column(name = "target_os_version", nullable = false, length = 32)
    private String targetOsVersion;

    @Column(nullable = false, length = 32)
    private String role;

    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    @Column(name = "config_template", nullable = false, length = TEXT_LENGTH)
    private String configTemplate;

    /** A JSON object of the template's variables. */
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    @Column(name = "config_variables", nullable = false, length = TEXT_LENGTH)
    private String configVariables;

    /** A JSON array of peer addresses. */
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    @Column(name = "bgp_peers", nullable = false, length = TEXT_LENGTH)
    private String bgpPeers;

    protected TorStarterJob() {
    }

    public String getRack() {
        return rack;
    }

    public String getHostname() {
        return hostname;
    }

    public String getManagementAddress() {
        return managementAddress;
    }

    public String getSerial() {
        return serial;
    }

    public String getExpectedModel() {
        return expectedModel;
    }

    public String getTargetOsVersion() {
        return targetOsVersion;
    }

    public String getRole() {
        return role;
    }

    public String getConfigTemplate() {
        return configTemplate;
    }

    public String getConfigVariables() {
        return configVariables;
    }

    public String getBgpPeers() {
        return bgpPeers;
    }
}
