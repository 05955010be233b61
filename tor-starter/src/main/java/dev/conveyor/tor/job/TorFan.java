package dev.conveyor.tor.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** A fan as the switch reported it in the job's last attempt (read-only mapping). */
@Entity
@Immutable
@Table(name = "tor_fan")
public class TorFan {
    @Id
    private Long id;

    @Column(name = "job_id", nullable = false)
    private long jobId;

    @Column(nullable = false, length = 64)
    private String location;

    @Column(nullable = false, length = 64)
    private String label;

    @Column(nullable = false, length = 32)
    private String status;

    @Column(nullable = false)
    private boolean ok;

    protected TorFan() {
    }

    public long getJobId() {
        return jobId;
    }

    public String getLocation() {
        return location;
    }

    public String getLabel() {
        return label;
    }

    public String getStatus() {
        return status;
    }

    public boolean isOk() {
        return ok;
    }
}
