package dev.conveyor.core.entity;

import dev.conveyor.core.JobState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The base job, root of a JOINED hierarchy: a job family maps a subclass on its own table whose
 * primary key {@code job_id} is this table's id. Hibernate serves reads and family inserts; the
 * hot path (claim, heartbeat, completion, reaping) is explicit SQL in {@code JobSql}, which is why
 * the lease fields have no setters.
 */
@Entity
@Table(name = "job")
@Inheritance(strategy = InheritanceType.JOINED)
public class Job {
    /**
     * Lengths of the TEXT and MEDIUMBLOB columns: Hibernate's validation derives the SQL type from
     * the length, and a long string or byte array without one is a TINYTEXT or TINYBLOB to it.
     */
    static final int TEXT_LENGTH = 65_535;
    private static final int MEDIUMBLOB_LENGTH = 16_777_215;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 64)
    private String queue;

    @Column(nullable = false, length = 64)
    private String type;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private JobState state;

    @Column(nullable = false)
    private int priority;

    @Column(name = "run_at", nullable = false)
    private Instant runAt;

    @Column(nullable = false)
    private int attempt;

    @Column(name = "max_attempts", nullable = false)
    private int maxAttempts;

    @Column(name = "lease_owner", length = 128)
    private String leaseOwner;

    @Column(name = "lease_epoch", nullable = false)
    private long leaseEpoch;

    @Column(name = "lease_expires_at")
    private Instant leaseExpiresAt;

    @Column(name = "cancel_requested", nullable = false)
    private boolean cancelRequested;

    @Column(name = "idempotency_key", length = 128)
    private String idempotencyKey;

    @Column(name = "request_hash", length = 32)
    private byte[] requestHash;

    @JdbcTypeCode(SqlTypes.LONG32VARBINARY)
    @Column(name = "payload", length = MEDIUMBLOB_LENGTH)
    private byte[] payload;

    @Column(name = "content_type", length = 128)
    private String contentType;

    @JdbcTypeCode(SqlTypes.LONG32VARBINARY)
    @Column(name = "result", length = MEDIUMBLOB_LENGTH)
    private byte[] result;

    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    @Column(name = "last_error", length = TEXT_LENGTH)
    private String lastError;

    @Column(name = "parent_id")
    private Long parentId;

    @Column(name = "await_children", nullable = false)
    private boolean awaitChildren;

    @Column(name = "concurrency_key", length = 128)
    private String concurrencyKey;

    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    @Column(name = "labels", length = TEXT_LENGTH)
    private String labels;

    @Column(name = "trace_parent", length = 55)
    private String traceParent;

    @Column(name = "created_by", length = 128)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Version
    @Column(nullable = false)
    private long version;

    protected Job() {
    }

    public Long getId() {
        return id;
    }

    public String getQueue() {
        return queue;
    }

    public String getType() {
        return type;
    }

    public JobState getState() {
        return state;
    }

    public int getPriority() {
        return priority;
    }

    public Instant getRunAt() {
        return runAt;
    }

    public int getAttempt() {
        return attempt;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public String getLeaseOwner() {
        return leaseOwner;
    }

    public long getLeaseEpoch() {
        return leaseEpoch;
    }

    public Instant getLeaseExpiresAt() {
        return leaseExpiresAt;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public byte[] getRequestHash() {
        return requestHash;
    }

    public byte[] getPayload() {
        return payload;
    }

    public String getContentType() {
        return contentType;
    }

    public byte[] getResult() {
        return result;
    }

    public String getLastError() {
        return lastError;
    }

    public Long getParentId() {
        return parentId;
    }

    public boolean isAwaitChildren() {
        return awaitChildren;
    }

    public String getConcurrencyKey() {
        return concurrencyKey;
    }

    public String getLabels() {
        return labels;
    }

    public String getTraceParent() {
        return traceParent;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public long getVersion() {
        return version;
    }
}
