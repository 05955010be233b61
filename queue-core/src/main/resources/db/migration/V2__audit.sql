-- Every mutating call, allowed or denied: who, what, on which target, with what outcome, from where.
-- An allowed call's record is written in the transaction of the change it describes.
CREATE TABLE audit_event (
    id        BIGINT        NOT NULL AUTO_INCREMENT,
    at        DATETIME(6)   NOT NULL,
    actor     VARCHAR(128)  NOT NULL,
    roles     VARCHAR(128)  NULL,
    action    VARCHAR(64)   NOT NULL,
    target    VARCHAR(255)  NULL,
    outcome   VARCHAR(16)   NOT NULL,
    detail    TEXT          NULL,
    remote    VARCHAR(128)  NULL,
    PRIMARY KEY (id),
    KEY ix_audit_at (at),
    KEY ix_audit_actor (actor, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
