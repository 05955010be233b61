-- Idempotency keys belong to the identity that submitted the job (issue 12): the same key from
-- another identity is another job, never that identity's job back, a conflict naming it, or a key
-- it could take first to block the other's submissions.
--
-- created_by is NULL for jobs submitted without an identity (open mode, direct users of the
-- queue); a unique key treats NULLs as distinct, so the key is scoped by a generated column that
-- names "no identity" as '' (no identity name is empty: see Identity.NAME). Jobs without an
-- identity thus share one scope, as every key did before.
ALTER TABLE job
    ADD COLUMN idempotency_scope VARCHAR(128) AS (COALESCE(created_by, '')) STORED,
    DROP INDEX uk_job_idempotency,
    ADD UNIQUE KEY uk_job_idempotency (queue, idempotency_scope, idempotency_key);
