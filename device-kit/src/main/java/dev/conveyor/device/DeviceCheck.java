package dev.conveyor.device;

import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/**
 * The columns every device family's check table shares (read-only mapping): one check of a job's
 * last attempt, with what was expected and what was observed. Each family maps a subclass on its
 * own table ({@code tor_check}, {@code server_check}).
 */
@MappedSuperclass
public abstract class DeviceCheck {
    @Id
    private Long id;

    @Column(name = "job_id", nullable = false)
    private long jobId;

    /** The check's place in the order the handler ran them. */
    @Column(nullable = false)
    private int seq;

    @Column(name = "check_name", nullable = false, length = 64)
    private String checkName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private CheckStatus status;

    @Column(length = 1024)
    private String expected;

    @Column(length = 1024)
    private String observed;

    @Column(length = 1024)
    private String message;

    protected DeviceCheck() {
    }

    public CheckResult toResult() {
        return new CheckResult(checkName, status, expected, observed, message);
    }

    public long getJobId() {
        return jobId;
    }

    public int getSeq() {
        return seq;
    }
}
