package dev.conveyor.server.cli;

import dev.conveyor.proto.v1.Job;
import dev.conveyor.proto.v1.JobEvent;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Collectors;

/** The tables that show jobs and their events, shared by the commands that print them. */
final class JobTables {
    private static final int MAX_SHOWN_BYTES = 200;

    private JobTables() {
    }

    /** One job, field by field. */
    static Output.Table detail(Job job) {
        return new Output.Table("FIELD", "VALUE")
                .row("id", job.getId())
                .row("queue", job.getQueue())
                .row("type", job.getType())
                .row("state", Cells.state(job.getState()) + (job.getCancelRequested() ? " (cancel requested)" : ""))
                .row("priority", job.getPriority())
                .row("attempt", job.getAttempt() + "/" + job.getMaxAttempts())
                .row("run_time", Cells.time(job.hasRunTime(), job.getRunTime()))
                .row("create_time", Cells.time(job.hasCreateTime(), job.getCreateTime()))
                .row("start_time", Cells.time(job.hasStartTime(), job.getStartTime()))
                .row("finish_time", Cells.time(job.hasFinishTime(), job.getFinishTime()))
                .row("lease_owner", job.getLeaseOwner())
                .row("last_error", job.getLastError())
                .row("depends_on", job.getDependsOnList().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .row("parent_id", job.getParentId() == 0 ? "" : job.getParentId())
                .row("labels", job.getLabelsMap().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")))
                .row("idempotency_key", job.getIdempotencyKey())
                .row("trace_parent", job.getTraceParent())
                .row("payload", bytes(job.getPayload().toByteArray(), job.getContentType()))
                .row("result", bytes(job.getResult().toByteArray(), ""));
    }

    /** Jobs, one per line. */
    static Output.Table summary(List<Job> jobs) {
        Output.Table table = new Output.Table("ID", "QUEUE", "TYPE", "STATE", "ATTEMPT", "CREATED", "LAST_ERROR");
        for (Job job : jobs) {
            table.row(job.getId(), job.getQueue(), job.getType(), Cells.state(job.getState()),
                    job.getAttempt() + "/" + job.getMaxAttempts(), Cells.time(job.hasCreateTime(), job.getCreateTime()),
                    job.getLastError());
        }
        return table;
    }

    static Output.Table events(List<JobEvent> events) {
        Output.Table table = new Output.Table("ID", "TIME", "ATTEMPT", "WHAT", "MESSAGE", "COMMAND", "WORKER");
        for (JobEvent e : events) {
            table.row(e.getId(), Cells.time(e.hasTime(), e.getTime()), e.getAttempt(), Cells.what(e), e.getMessage(),
                    e.getCommand(), e.getWorker());
        }
        return table;
    }

    /** Text when the bytes are short UTF-8, else their size: a table cell is no place for binary. */
    private static String bytes(byte[] bytes, String contentType) {
        String type = contentType.isEmpty() ? "" : " (" + contentType + ")";
        if (bytes.length == 0) {
            return "";
        }
        if (bytes.length <= MAX_SHOWN_BYTES) {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)) + type;
            } catch (CharacterCodingException e) {
                // not text: fall through to the size
            }
        }
        return bytes.length + " bytes" + type;
    }
}
