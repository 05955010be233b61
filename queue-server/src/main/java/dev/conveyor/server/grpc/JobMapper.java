package dev.conveyor.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobEventRecord;
import dev.conveyor.core.JobQuery;
import dev.conveyor.core.JobRules;
import dev.conveyor.core.JobSnapshot;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueStats;
import dev.conveyor.core.SubmitResult;
import dev.conveyor.core.WorkerInfo;
import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.JobEvent;
import dev.conveyor.proto.v1.JobState;
import dev.conveyor.proto.v1.ListJobsRequest;
import dev.conveyor.proto.v1.Queue;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.Worker;
import dev.conveyor.server.security.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Proto messages to domain records and back; nothing else. */
final class JobMapper {
    private static final String STATE_PREFIX = "JOB_STATE_";

    private JobMapper() {
    }

    /**
     * A validated job. NewJob names the schedule field {@code run_at}, as the column is called;
     * the API calls it {@code run_time} (AIP-142), and errors must name the API's field.
     */
    static NewJob newJob(SubmitJobRequest r, int maxPayloadBytes, String traceParent) {
        try {
            return NewJob.builder(r.getQueue(), r.getType())
                    .payload(RequestRules.payload(r.getPayload(), maxPayloadBytes), emptyToNull(r.getContentType()))
                    .priority(r.getPriority())
                    .runAt(r.hasRunTime() ? instant("run_time", r.getRunTime()) : null)
                    .delay(r.hasDelay() ? duration("delay", r.getDelay()) : null)
                    .maxAttempts(r.getMaxAttempts() == 0 ? JobRules.DEFAULT_MAX_ATTEMPTS : r.getMaxAttempts())
                    .idempotencyKey(emptyToNull(r.getIdempotencyKey()))
                    .createdBy(Caller.name())
                    .dependsOn(r.getDependsOnList())
                    .parentId(r.getParentId() == 0 ? null : r.getParentId())
                    .awaitChildren(r.getAwaitChildren())
                    .concurrency(emptyToNull(r.getConcurrencyKey()), r.getConcurrencyLimit())
                    .labels(r.getLabelsMap())
                    .traceParent(traceParent)
                    .build();
        } catch (InvalidRequestException e) {
            if (e.field().equals("run_at")) {
                throw new InvalidRequestException("run_time", e.rule());
            }
            throw e;
        }
    }

    static JobQuery query(ListJobsRequest r, int pageSize, Long beforeId) {
        if (r.getParentId() < 0) {
            throw new InvalidRequestException("parent_id", "must be a positive job id");
        }
        Instant from = r.hasCreateTimeFrom() ? instant("create_time_from", r.getCreateTimeFrom()) : null;
        Instant to = r.hasCreateTimeTo() ? instant("create_time_to", r.getCreateTimeTo()) : null;
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidRequestException("create_time_to", "must not be before create_time_from");
        }
        String labelKey = RequestRules.labelKey(r.getLabelKey());
        String labelValue = RequestRules.labelValue(r.getLabelValue());
        if (labelValue != null && labelKey == null) {
            throw new InvalidRequestException("label_value", "needs label_key");
        }
        return new JobQuery(
                RequestRules.nameFilter("queue", r.getQueue()),
                r.getState() == JobState.JOB_STATE_UNSPECIFIED ? null : state(r.getState()),
                RequestRules.nameFilter("type", r.getType()),
                from,
                to,
                labelKey,
                labelValue,
                r.getParentId() == 0 ? null : r.getParentId(),
                pageSize,
                beforeId);
    }

    static Job job(JobSnapshot s, List<Long> dependsOn) {
        Job.Builder b = Job.newBuilder()
                .setId(s.id())
                .setQueue(s.queue())
                .setType(s.type())
                .setState(state(s.state()))
                .setPriority(s.priority())
                .setAttempt(s.attempt())
                .setMaxAttempts(s.maxAttempts())
                .setCancelRequested(s.cancelRequested())
                .addAllDependsOn(dependsOn)
                .putAllLabels(s.labels());
        if (s.runAt() != null) {
            b.setRunTime(timestamp(s.runAt()));
        }
        if (s.payload() != null) {
            b.setPayload(ByteString.copyFrom(s.payload()));
        }
        if (s.result() != null) {
            b.setResult(ByteString.copyFrom(s.result()));
        }
        if (s.parentId() != null) {
            b.setParentId(s.parentId());
        }
        setIfPresent(s.contentType(), b::setContentType);
        setIfPresent(s.lastError(), b::setLastError);
        setIfPresent(s.idempotencyKey(), b::setIdempotencyKey);
        setIfPresent(s.concurrencyKey(), b::setConcurrencyKey);
        setIfPresent(s.traceParent(), b::setTraceParent);
        setIfPresent(s.createdBy(), b::setCreatedBy);
        setIfPresent(s.leaseOwner(), b::setLeaseOwner);
        if (s.leaseExpiresAt() != null) {
            b.setLeaseExpireTime(timestamp(s.leaseExpiresAt()));
        }
        if (s.createdAt() != null) {
            b.setCreateTime(timestamp(s.createdAt()));
        }
        if (s.startedAt() != null) {
            b.setStartTime(timestamp(s.startedAt()));
        }
        if (s.finishedAt() != null) {
            b.setFinishTime(timestamp(s.finishedAt()));
        }
        return b.build();
    }

    /** A job of a batch, from what was submitted and what the store answered; no further read. */
    static Job submitted(NewJob job, SubmitResult result) {
        Job.Builder b = Job.newBuilder()
                .setId(result.jobId())
                .setQueue(job.queue())
                .setType(job.type())
                .setState(state(result.state()))
                .setPriority(job.priority())
                .setMaxAttempts(job.maxAttempts())
                .setPayload(ByteString.copyFrom(job.payload()))
                .addAllDependsOn(job.dependsOn())
                .putAllLabels(job.labels());
        if (job.runAt() != null) {
            b.setRunTime(timestamp(job.runAt()));
        }
        if (job.parentId() != null) {
            b.setParentId(job.parentId());
        }
        setIfPresent(job.contentType(), b::setContentType);
        setIfPresent(job.idempotencyKey(), b::setIdempotencyKey);
        setIfPresent(job.concurrencyKey(), b::setConcurrencyKey);
        setIfPresent(job.traceParent(), b::setTraceParent);
        // Keys are scoped to the submitter, so even a deduplicated job is the submitter's own.
        setIfPresent(job.createdBy(), b::setCreatedBy);
        return b.build();
    }

    /**
     * A job this call just created, as stored, from the request and the times its insert
     * returned: the fields {@link #job} would read back, with nothing yet run (attempt 0).
     */
    static Job created(NewJob job, SubmitResult result) {
        Job.Builder b = submitted(job, result).toBuilder()
                .setRunTime(timestamp(result.runAt()))
                .setCreateTime(timestamp(result.createdAt()));
        return b.build();
    }

    static JobEvent event(JobEventRecord e) {
        JobEvent.Builder b = JobEvent.newBuilder()
                .setId(e.id())
                .setJobId(e.jobId())
                .setKind(JobEventRecord.STATE.equals(e.kind()) ? JobEvent.Kind.KIND_STATE : JobEvent.Kind.KIND_STEP)
                .setAttempt(e.attempt());
        if (e.at() != null) {
            b.setTime(timestamp(e.at()));
        }
        if (e.state() != null) {
            b.setState(state(e.state()));
        }
        setIfPresent(e.step(), b::setStep);
        setIfPresent(e.statusCode(), b::setStatusCode);
        setIfPresent(e.command(), b::setCommand);
        setIfPresent(e.message(), b::setMessage);
        setIfPresent(e.worker(), b::setWorker);
        return b.build();
    }

    static Queue queue(QueueStats s) {
        Queue.Builder b = Queue.newBuilder()
                .setName(s.queue())
                .setPaused(s.paused())
                .setOldestReadyAge(Durations.fromNanos(s.oldestReadyAge().toNanos()));
        s.depth().forEach((state, count) -> b.putDepth(STATE_PREFIX + state.name(), count));
        return b.build();
    }

    static Worker worker(WorkerInfo w) {
        Worker.Builder b = Worker.newBuilder()
                .setId(w.id())
                .setHost(w.host())
                .setPid(w.pid())
                .setPools(w.pools())
                .setSlots(w.slots())
                .setAlive(w.alive());
        if (w.startedAt() != null) {
            b.setStartTime(timestamp(w.startedAt()));
        }
        if (w.heartbeatAt() != null) {
            b.setHeartbeatTime(timestamp(w.heartbeatAt()));
        }
        if (w.stoppedAt() != null) {
            b.setStopTime(timestamp(w.stoppedAt()));
        }
        return b.build();
    }

    static JobState state(dev.conveyor.core.JobState state) {
        return JobState.valueOf(STATE_PREFIX + state.name());
    }

    static dev.conveyor.core.JobState state(JobState state) {
        if (state == JobState.UNRECOGNIZED || state == JobState.JOB_STATE_UNSPECIFIED) {
            throw new InvalidRequestException("state", "must be one of the JobState values");
        }
        return dev.conveyor.core.JobState.valueOf(state.name().substring(STATE_PREFIX.length()));
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static Instant instant(String field, Timestamp t) {
        if (!Timestamps.isValid(t)) {
            throw new InvalidRequestException(field, "must be a valid timestamp");
        }
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static Duration duration(String field, com.google.protobuf.Duration d) {
        if (!Durations.isValid(d)) {
            throw new InvalidRequestException(field, "must be a valid duration");
        }
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static void setIfPresent(String value, java.util.function.Consumer<String> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
