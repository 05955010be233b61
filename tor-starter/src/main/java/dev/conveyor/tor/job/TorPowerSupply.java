package dev.conveyor.tor.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** A power supply as the switch reported it in the job's last attempt (read-only mapping). */
@Entity
@Immutable
@Table(name = "tor_psu")
public class TorPowerSupply {
    @Id
    private Long id;

    @Column(name = "job_id", nullable = false)
    private long jobId;

    @Column(nullable = false, length = 32)
    private String slot;

    @Column(nullable = false, length = 64)
    private String model;

    @Column(nullable = false, length = 32)
    private String state;

    @Column(nullable = false)
    private boolean ok;

    protected TorPowerSupply() {
    }

    public long getJobId() {
        return jobId;
    }

    public String getSlot() {
        return slot;
    }

    public String getModel() {
        return model;
    }

    public String getState() {
        return state;
    }

    public boolean isOk() {
        return ok;
    }
}
