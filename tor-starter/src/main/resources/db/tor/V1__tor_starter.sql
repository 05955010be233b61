-- TOR starter: one row per switch job (JOINED subclass of job), its planned cables, what its
-- fans and power supplies reported, and the verdict of each check. Every table references
-- job(id) ON DELETE CASCADE, so retention pruning removes a job's rows with it.

CREATE TABLE tor_starter_job (
    job_id              BIGINT        NOT NULL,
    rack                VARCHAR(64)   NOT NULL,
    hostname            VARCHAR(253)  NOT NULL,
    management_address  VARCHAR(300)  NOT NULL,
    serial              VARCHAR(64)   NOT NULL,
    expected_model      VARCHAR(128)  NOT NULL,
    target_os_version   VARCHAR(32)   NOT NULL,
    role                VARCHAR(32)   NOT NULL,
    -- The configuration template and its variables (a JSON object), rendered at push time.
    config_template     TEXT          NOT NULL,
    config_variables    TEXT          NOT NULL,
    -- Peer addresses (a JSON array) whose BGP sessions must be established after the push.
    bgp_peers           TEXT          NOT NULL,
    PRIMARY KEY (job_id),
    KEY ix_tor_starter_job_rack (rack),
    KEY ix_tor_starter_job_hostname (hostname),
    CONSTRAINT fk_tor_starter_job FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The cabling plan, one row per planned port; observed_* and status are filled by the LLDP check.
CREATE TABLE tor_uplink (
    id               BIGINT        NOT NULL AUTO_INCREMENT,
    job_id           BIGINT        NOT NULL,
    local_port       VARCHAR(48)   NOT NULL,
    expected_device  VARCHAR(253)  NOT NULL,
    expected_port    VARCHAR(48)   NOT NULL,
    observed_device  VARCHAR(253)  NULL,
    observed_port    VARCHAR(48)   NULL,
    status           VARCHAR(16)   NOT NULL,
    message          VARCHAR(1024) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_tor_uplink_port (job_id, local_port),
    CONSTRAINT fk_tor_uplink_job FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE tor_fan (
    id        BIGINT       NOT NULL AUTO_INCREMENT,
    job_id    BIGINT       NOT NULL,
    location  VARCHAR(64)  NOT NULL,
    label     VARCHAR(64)  NOT NULL,
    status    VARCHAR(32)  NOT NULL,
    ok        BOOLEAN      NOT NULL,
    PRIMARY KEY (id),
    KEY ix_tor_fan_job (job_id),
    CONSTRAINT fk_tor_fan_job FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE tor_psu (
    id      BIGINT       NOT NULL AUTO_INCREMENT,
    job_id  BIGINT       NOT NULL,
    slot    VARCHAR(32)  NOT NULL,
    model   VARCHAR(64)  NOT NULL,
    state   VARCHAR(32)  NOT NULL,
    ok      BOOLEAN      NOT NULL,
    PRIMARY KEY (id),
    KEY ix_tor_psu_job (job_id),
    CONSTRAINT fk_tor_psu_job FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per check of the last attempt: what was expected, what the switch reported.
CREATE TABLE tor_check (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    job_id      BIGINT        NOT NULL,
    seq         INT           NOT NULL,
    check_name  VARCHAR(64)   NOT NULL,
    status      VARCHAR(8)    NOT NULL,
    expected    VARCHAR(1024) NULL,
    observed    VARCHAR(1024) NULL,
    message     VARCHAR(1024) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_tor_check (job_id, check_name),
    CONSTRAINT fk_tor_check_job FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
