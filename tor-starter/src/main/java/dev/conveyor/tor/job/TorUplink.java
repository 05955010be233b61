package dev.conveyor.tor.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** One planned cable of a switch and what LLDP saw on its port (read-only mapping). */
@Entity
@Immutable
@Table(name = "tor_uplink")
public class TorUplink {
    @Id
    private Long id;

    @Column(name = "job_id", nullable = false)
    private long jobId;

    @Column(name = "local_port", nullable = false, length = 48)
    private String localPort;

    @Column(name = "expected_device", nullable = false, length = 253)
    private String expectedDevice;

    @Column(name = "expected_port", nullable = false, length = 48)
    private String expectedPort;

    @Column(name = "observed_device", length = 253)
    private String observedDevice;

    @Column(name = "observed_port", length = 48)
    private String observedPort;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private UplinkStatus status;

    @Column(length = 1024)
    private String message;

    protected TorUplink() {
    }

    public long getJobId() {
        return jobId;
    }

    public String getLocalPort() {
        return localPort;
    }

    public String getExpectedDevice() {
        return expectedDevice;
    }

    public String getExpectedPort() {
        return expectedPort;
    }

    public String getObservedDevice() {
        return observedDevice;
    }

    public String getObservedPort() {
        return observedPort;
    }

    public UplinkStatus getStatus() {
        return status;
    }

    public String getMessage() {
        return message;
    }
}
