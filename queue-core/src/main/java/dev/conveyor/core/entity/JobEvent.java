package dev.conveyor.core.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One line of a job's append-only history; written by explicit SQL, read through Hibernate. */
@Entity
@Immutable
@Table(name = "job_event")
public class JobEvent {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "job_id", nullable = false)
    private long jobId;

    @Column(nullable = false)
    private Instant at;

    @Column(nullable = false, length = 8)
    private String kind;

    @Column(length = 16)
    private String state;

    @Column(length = 64)
    private String step;

    @Column(name = "status_code", length = 32)
    private String statusCode;

    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    @Column(length = Job.TEXT_LENGTH)
    private String command;

    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    @Column(length = Job.TEXT_LENGTH)
    private String message;

    @Column(length = 128)
    private String worker;

    @Column(nullable = false)
    private int attempt;

    protected JobEvent() {
    }

    public Long getId() {
        return id;
    }

    public long getJobId() {
        return jobId;
    }

    public Instant getAt() {
        return at;
    }

    public String getKind() {
        return kind;
    }

    public String getState() {
        return state;
    }

    public String getStep() {
        return step;
    }

    public String getStatusCode() {
        return statusCode;
    }

    public String getCommand() {
        return command;
    }

    public String getMessage() {
        return message;
    }

    public String getWorker() {
        return worker;
    }

    public int getAttempt() {
        return attempt;
    }
}
