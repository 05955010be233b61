-- Server validation: one row per server job (JOINED subclass of job) with the server's expected
-- hardware profile and firmware baseline, and one row per check of the last attempt. Both tables
-- reference job(id) ON DELETE CASCADE, so retention pruning removes them with the job.

CREATE TABLE server_validation_job (
    job_id           BIGINT        NOT NULL,
    rack             VARCHAR(64)   NOT NULL,
    serial           VARCHAR(64)   NOT NULL,
    asset_tag        VARCHAR(64)   NOT NULL,
    position_u       INT           NOT NULL,
    bmc_address      VARCHAR(300)  NOT NULL,
    reason           VARCHAR(8)    NOT NULL,
    -- For a REPAIR: the part that was replaced, as the BMC names it.
    replaced_kind    VARCHAR(16)   NULL,
    replaced_name    VARCHAR(128)  NULL,
    profile_name     VARCHAR(64)   NULL,
    cpu_model        VARCHAR(128)  NOT NULL,
    cpu_count        INT           NOT NULL,
    memory_gib       INT           NOT NULL,
    drive_count      INT           NOT NULL,
    drive_min_gb     INT           NOT NULL,
    nic_count        INT           NOT NULL,
    -- One speed per NIC, comma-separated, in Mb/s.
    nic_speeds_mbps  VARCHAR(512)  NOT NULL,
    bios_min         VARCHAR(32)   NOT NULL,
    bmc_min          VARCHAR(32)   NOT NULL,
    PRIMARY KEY (job_id),
    KEY ix_server_validation_job_rack (rack),
    KEY ix_server_validation_job_serial (serial),
    CONSTRAINT fk_server_validation_job FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE server_check (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    job_id      BIGINT        NOT NULL,
    seq         INT           NOT NULL,
    check_name  VARCHAR(64)   NOT NULL,
    status      VARCHAR(8)    NOT NULL,
    expected    VARCHAR(1024) NULL,
    observed    VARCHAR(1024) NULL,
    message     VARCHAR(1024) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_server_check (job_id, check_name),
    CONSTRAINT fk_server_check_job FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
