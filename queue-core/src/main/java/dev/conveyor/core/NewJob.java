package dev.conveyor.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request to enqueue one job. Validated at construction against {@link JobRules}: an invalid
 * request cannot exist, so every entrance refuses the same input the same way.
 *
 * @param runAt          absolute time at which the job becomes runnable; null with {@code delay}
 *                       means "delay after the database's now", both null means now
 * @param dependsOn      jobs that must SUCCEED first; the job waits in WAITING until then
 * @param parentId       the workflow parent this job belongs to, or null
 * @param awaitChildren  true for a parent: it stays WAITING until all its children have ended
 * @param concurrencyKey at most {@code concurrencyLimit} RUNNING jobs share this key, or null
 * @param traceParent    a W3C traceparent carried from the submitting call, or null
 */
public record NewJob(
        String queue,
        String type,
        byte[] payload,
        String contentType,
        int priority,
        Instant runAt,
        Duration delay,
        int maxAttempts,
        String idempotencyKey,
        List<Long> dependsOn,
        Long parentId,
        boolean awaitChildren,
        String concurrencyKey,
        int concurrencyLimit,
        Map<String, String> labels,
        String traceParent,
        String createdBy) {

    public NewJob {
        JobRules.requireName("queue", queue);
        JobRules.requireName("type", type);
        payload = payload == null ? new byte[0] : payload;
        if (payload.length > JobRules.MAX_PAYLOAD_BYTES_CEILING) {
            throw new InvalidRequestException("payload", "must be at most "
                    + JobRules.MAX_PAYLOAD_BYTES_CEILING + " bytes");
        }
        if (contentType != null && (contentType.length() > JobRules.MAX_CONTENT_TYPE_LENGTH
                || !JobRules.isPrintableAscii(contentType))) {
            throw new InvalidRequestException("content_type", "must be printable ASCII of at most "
                    + JobRules.MAX_CONTENT_TYPE_LENGTH + " characters");
        }
        if (priority < JobRules.MIN_PRIORITY || priority > JobRules.MAX_PRIORITY) {
            throw new InvalidRequestException("priority", "must be in [" + JobRules.MIN_PRIORITY + ", "
                    + JobRules.MAX_PRIORITY + "] (lower runs first)");
        }
        if (runAt != null && delay != null) {
            throw new InvalidRequestException("run_at", "give run_at or delay, not both");
        }
        if (delay != null && (delay.isNegative()
                || delay.compareTo(Duration.ofDays(JobRules.MAX_SCHEDULE_AHEAD_DAYS)) > 0)) {
            throw new InvalidRequestException("delay", "must be in [0, "
                    + JobRules.MAX_SCHEDULE_AHEAD_DAYS + " days]");
        }
        if (runAt != null && (runAt.isBefore(Instant.parse("2000-01-01T00:00:00Z"))
                || runAt.isAfter(Instant.now().plus(Duration.ofDays(JobRules.MAX_SCHEDULE_AHEAD_DAYS))))) {
            throw new InvalidRequestException("run_at", "must be after 2000-01-01 and at most "
                    + JobRules.MAX_SCHEDULE_AHEAD_DAYS + " days ahead");
        }
        if (maxAttempts < 1 || maxAttempts > JobRules.MAX_ATTEMPTS) {
            throw new InvalidRequestException("max_attempts", "must be in [1, " + JobRules.MAX_ATTEMPTS + "]");
        }
        if (idempotencyKey != null) {
            if (idempotencyKey.isEmpty() || idempotencyKey.length() > JobRules.MAX_IDEMPOTENCY_KEY_LENGTH
                    || !JobRules.isPrintableAscii(idempotencyKey)) {
                throw new InvalidRequestException("idempotency_key", "must be 1 to "
                        + JobRules.MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters");
            }
        }
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        if (dependsOn.size() > JobRules.MAX_DEPENDENCIES) {
            throw new InvalidRequestException("depends_on", "at most " + JobRules.MAX_DEPENDENCIES + " jobs");
        }
        for (Long id : dependsOn) {
            if (id == null || id <= 0) {
                throw new InvalidRequestException("depends_on", "job ids must be positive");
            }
        }
        if (dependsOn.stream().distinct().count() != dependsOn.size()) {
            throw new InvalidRequestException("depends_on", "must not repeat a job id");
        }
        if (parentId != null && parentId <= 0) {
            throw new InvalidRequestException("parent_id", "must be a positive job id");
        }
        if (concurrencyKey != null) {
            if (!JobRules.CONCURRENCY_KEY.matcher(concurrencyKey).matches()) {
                throw new InvalidRequestException("concurrency_key", "must match [A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}");
            }
            if (concurrencyLimit < 1 || concurrencyLimit > JobRules.MAX_CONCURRENCY_LIMIT) {
                throw new InvalidRequestException("concurrency_limit", "must be in [1, "
                        + JobRules.MAX_CONCURRENCY_LIMIT + "] when concurrency_key is set");
            }
        } else if (concurrencyLimit != 0) {
            throw new InvalidRequestException("concurrency_limit", "needs a concurrency_key");
        }
        labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
        if (labels.size() > JobRules.MAX_LABELS) {
            throw new InvalidRequestException("labels", "at most " + JobRules.MAX_LABELS + " labels");
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!JobRules.LABEL_KEY.matcher(e.getKey()).matches()) {
                throw new InvalidRequestException("labels", "key '" + printable(e.getKey())
                        + "' must match [a-z0-9][a-z0-9_./-]{0,62}");
            }
            if (e.getValue().length() > JobRules.MAX_LABEL_VALUE_LENGTH || !JobRules.isCleanText(e.getValue())) {
                throw new InvalidRequestException("labels", "value of '" + e.getKey() + "' must be at most "
                        + JobRules.MAX_LABEL_VALUE_LENGTH + " characters " + JobRules.CLEAN_TEXT_RULE);
            }
        }
        if (traceParent != null && !JobRules.TRACEPARENT.matcher(traceParent).matches()) {
            throw new InvalidRequestException("traceparent", "must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)");
        }
        if (createdBy != null && (createdBy.length() > JobRules.MAX_CREATED_BY_LENGTH
                || !JobRules.isCleanText(createdBy))) {
            throw new InvalidRequestException("created_by", "must be at most "
                    + JobRules.MAX_CREATED_BY_LENGTH + " characters " + JobRules.CLEAN_TEXT_RULE);
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    public static Builder builder(String queue, String type) {
        return new Builder(queue, type);
    }

    /**
     * A digest of everything that defines the request (not who sent it or its trace), stored with
     * the job: a later submission with the same idempotency key and the same digest is the same
     * request; a different digest is a conflict.
     */
    public byte[] requestHash() {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            var out = new java.io.ByteArrayOutputStream();
            var data = new java.io.DataOutputStream(out);
            data.writeUTF(queue);
            data.writeUTF(type);
            data.writeInt(payload.length);
            data.write(payload);
            data.writeUTF(String.valueOf(contentType));
            data.writeInt(priority);
            data.writeUTF(String.valueOf(runAt));
            data.writeUTF(String.valueOf(delay));
            data.writeInt(maxAttempts);
            data.writeUTF(dependsOn.toString());
            data.writeUTF(String.valueOf(parentId));
            data.writeBoolean(awaitChildren);
            data.writeUTF(String.valueOf(concurrencyKey));
            data.writeInt(concurrencyLimit);
            data.writeUTF(new TreeMap<>(labels).toString());
            data.flush();
            return md.digest(out.toByteArray());
        } catch (java.security.NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException("SHA-256 digest unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "NewJob[queue=" + queue + ", type=" + type + ", payload=" + payload.length + " bytes, priority="
                + priority + ", idempotencyKey=" + idempotencyKey + "]";
    }

    /** Fluent construction with the defaults a caller expects; {@link #build()} validates. */
    public static final class Builder {
        private final String queue;
        private final String type;
        private byte[] payload = new byte[0];
        private String contentType;
        private int priority;
        private Instant runAt;
        private Duration delay;
        private int maxAttempts = JobRules.DEFAULT_MAX_ATTEMPTS;
        private String idempotencyKey;
        private List<Long> dependsOn = List.of();
        private Long parentId;
        private boolean awaitChildren;
        private String concurrencyKey;
        private int concurrencyLimit;
        private Map<String, String> labels = Map.of();
        private String traceParent;
        private String createdBy;

        private Builder(String queue, String type) {
            this.queue = queue;
            this.type = type;
        }

        public Builder payload(byte[] payload, String contentType) {
            this.payload = payload;
            this.contentType = contentType;
            return this;
        }

        public Builder payload(byte[] payload) {
            this.payload = payload;
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder runAt(Instant runAt) {
            this.runAt = runAt;
            return this;
        }

        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        public Builder dependsOn(List<Long> dependsOn) {
            this.dependsOn = dependsOn;
            return this;
        }

        public Builder parentId(Long parentId) {
            this.parentId = parentId;
            return this;
        }

        public Builder awaitChildren(boolean awaitChildren) {
            this.awaitChildren = awaitChildren;
            return this;
        }

        public Builder concurrency(String key, int limit) {
            this.concurrencyKey = key;
            this.concurrencyLimit = limit;
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        public Builder traceParent(String traceParent) {
            this.traceParent = traceParent;
            return this;
        }

        public Builder createdBy(String createdBy) {
            this.createdBy = createdBy;
            return this;
        }

        public NewJob build() {
            return new NewJob(queue, type, payload, contentType, priority, runAt, delay, maxAttempts,
                    idempotencyKey, dependsOn, parentId, awaitChildren, concurrencyKey, concurrencyLimit,
                    labels, traceParent, createdBy);
        }
    }
}
