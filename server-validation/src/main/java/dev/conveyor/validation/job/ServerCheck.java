package dev.conveyor.validation.job;

import dev.conveyor.tor.job.CheckResult;
import dev.conveyor.tor.job.CheckStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** One check of a server validation job's last attempt (read-only mapping). */
@Entity
@Immutable
@Table(name = "server_check")
public class ServerCheck {
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

    protected ServerCheck() {
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
