-- Conveyor queue-core schema. Owned by Flyway; Hibernate validates it at startup.
-- Times are DATETIME(6) in UTC, written with the database's clock (NOW(6) in a UTC session).
-- No foreign keys: the job table is the hot path, and history is pruned in small batches.

CREATE TABLE job (
    id                BIGINT        NOT NULL AUTO_INCREMENT,
    queue             VARCHAR(64)   NOT NULL,
    type              VARCHAR(64)   NOT NULL,
    state             VARCHAR(16)   NOT NULL,
    priority          INT           NOT NULL DEFAULT 0,
    run_at            DATETIME(6)   NOT NULL,
    attempt           INT           NOT NULL DEFAULT 0,
    max_attempts      INT           NOT NULL,
    lease_owner       VARCHAR(128)  NULL,
    lease_epoch       BIGINT        NOT NULL DEFAULT 0,
    lease_expires_at  DATETIME(6)   NULL,
    cancel_requested  BOOLEAN       NOT NULL DEFAULT FALSE,
    idempotency_key   VARCHAR(128)  NULL,
    request_hash      VARBINARY(32) NULL,
    payload           MEDIUMBLOB    NULL,
    content_type      VARCHAR(128)  NULL,
    result            MEDIUMBLOB    NULL,
    last_error        TEXT          NULL,
    parent_id         BIGINT        NULL,
    await_children    BOOLEAN       NOT NULL DEFAULT FALSE,
    concurrency_key   VARCHAR(128)  NULL,
    labels            TEXT          NULL,
    trace_parent      VARCHAR(55)   NULL,
    created_by        VARCHAR(128)  NULL,
    created_at        DATETIME(6)   NOT NULL,
    started_at        DATETIME(6)   NULL,
    finished_at       DATETIME(6)   NULL,
    version           BIGINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    UNIQUE KEY uk_job_idempotency (queue, idempotency_key),
    -- The claim scans this index in its own order: no filesort, so SKIP LOCKED claimers don't collide.
    KEY ix_job_claim (queue, state, priority, run_at, id),
    -- The reaper's range (RUNNING rows with an expired lease) and the depth-by-state query,
    -- neither of which may scan the finished history.
    KEY ix_job_state (state, queue, lease_expires_at),
    KEY ix_job_list (queue, id),
    KEY ix_job_parent (parent_id, state),
    KEY ix_job_concurrency (concurrency_key, state),
    KEY ix_job_created (created_at),
    KEY ix_job_finished (finished_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE job_label (
    job_id  BIGINT        NOT NULL,
    name    VARCHAR(64)   NOT NULL,
    value   VARCHAR(256)  NOT NULL,
    PRIMARY KEY (job_id, name),
    KEY ix_job_label_value (name, value, job_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE job_dependency (
    job_id         BIGINT NOT NULL,
    depends_on_id  BIGINT NOT NULL,
    PRIMARY KEY (job_id, depends_on_id),
    KEY ix_job_dependency_on (depends_on_id, job_id)
) ENGINE = InnoDB;

-- Append-only history of every job: state changes and handler steps. Watchers tail it by id.
CREATE TABLE job_event (
    id           BIGINT        NOT NULL AUTO_INCREMENT,
    job_id       BIGINT        NOT NULL,
    at           DATETIME(6)   NOT NULL,
    kind         VARCHAR(8)    NOT NULL,
    state        VARCHAR(16)   NULL,
    step         VARCHAR(64)   NULL,
    status_code  VARCHAR(32)   NULL,
    command      TEXT          NULL,
    message      TEXT          NULL,
    worker       VARCHAR(128)  NULL,
    attempt      INT           NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY ix_job_event_job (job_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per concurrency key: the claim locks it to count the key's RUNNING jobs consistently.
CREATE TABLE concurrency_key (
    name         VARCHAR(128) NOT NULL,
    max_running  INT          NOT NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE queue_pause (
    queue      VARCHAR(64)   NOT NULL,
    paused_at  DATETIME(6)   NOT NULL,
    paused_by  VARCHAR(128)  NULL,
    PRIMARY KEY (queue)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Worker daemons register here and heartbeat; a stale heartbeat marks a dead daemon.
CREATE TABLE worker_process (
    id            VARCHAR(64)   NOT NULL,
    host          VARCHAR(255)  NOT NULL,
    pid           BIGINT        NOT NULL,
    pools         TEXT          NOT NULL,
    slots         INT           NOT NULL,
    started_at    DATETIME(6)   NOT NULL,
    heartbeat_at  DATETIME(6)   NOT NULL,
    stopped_at    DATETIME(6)   NULL,
    PRIMARY KEY (id),
    KEY ix_worker_heartbeat (heartbeat_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
