package dev.conveyor.server.cli;

import com.google.protobuf.ByteString;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobResponse;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "submit", description = "Enqueue a job and print it.")
final class SubmitCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-q", "--queue"}, defaultValue = "default", description = "Queue (default: ${DEFAULT-VALUE}).")
    String queue;

    @Option(names = {"-t", "--type"}, required = true, description = "Job type: selects the handler.")
    String type;

    @ArgGroup(exclusive = true)
    Payload payload;

    static final class Payload {
        @Option(names = "--payload", paramLabel = "TEXT", description = "The payload, as UTF-8 text.")
        String text;

        @Option(names = "--payload-file", paramLabel = "PATH", description = "The payload, read from a file.")
        Path file;

        byte[] bytes() throws IOException {
            return text != null ? text.getBytes(StandardCharsets.UTF_8) : Files.readAllBytes(file);
        }
    }

    @Option(names = "--content-type", description = "How to read the payload, e.g. application/json.")
    String contentType;

    @Option(names = "--priority", defaultValue = "0", description = "Lower runs first, in [-1000, 1000].")
    int priority;

    @Option(names = "--delay", converter = DurationConverter.class, description = "Run after this delay: 30s, 5m, 2h or PT30S.")
    Duration delay;

    @Option(names = "--run-at", description = "Run at this time (ISO-8601, e.g. 2030-01-01T00:00:00Z).")
    Instant runAt;

    @Option(names = "--max-attempts", defaultValue = "0", description = "Attempts before the job ends DEAD (default 5).")
    int maxAttempts;

    @Option(names = "--idempotency-key", description = "Submitting again with the same key never makes a second job.")
    String idempotencyKey;

    @Option(names = "--depends-on", split = ",", paramLabel = "ID", description = "Jobs that must succeed first.")
    List<Long> dependsOn = List.of();

    @Option(names = "--concurrency-key", description = "At most --concurrency-limit running jobs share this key.")
    String concurrencyKey;

    @Option(names = "--concurrency-limit", defaultValue = "0")
    int concurrencyLimit;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "A label; repeatable.")
    Map<String, String> labels = Map.of();

    @Option(names = "--parent", defaultValue = "0", description = "The workflow parent's job id.")
    long parentId;

    @Option(names = "--traceparent", description = "A W3C traceparent to carry into the job.")
    String traceParent;

    @Override
    public Integer call() throws IOException {
        Output output = client.output();
        SubmitJobRequest.Builder request = SubmitJobRequest.newBuilder()
                .setQueue(queue)
                .setType(type)
                .setPriority(priority)
                .setMaxAttempts(maxAttempts)
                .addAllDependsOn(dependsOn)
                .setConcurrencyLimit(concurrencyLimit)
                .putAllLabels(labels)
                .setParentId(parentId);
        if (payload != null) {
            request.setPayload(ByteString.copyFrom(payload.bytes()));
        }
        if (contentType != null) {
            request.setContentType(contentType);
        }
        if (delay != null) {
            request.setDelay(com.google.protobuf.Duration.newBuilder()
                    .setSeconds(delay.getSeconds()).setNanos(delay.getNano()));
        }
        if (runAt != null) {
            request.setRunTime(com.google.protobuf.Timestamp.newBuilder()
                    .setSeconds(runAt.getEpochSecond()).setNanos(runAt.getNano()));
        }
        if (idempotencyKey != null) {
            request.setIdempotencyKey(idempotencyKey);
        }
        if (concurrencyKey != null) {
            request.setConcurrencyKey(concurrencyKey);
        }
        try (ApiClient api = client.connect()) {
            var stub = api.jobs();
            if (traceParent != null) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), traceParent);
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            SubmitJobResponse response = stub.submitJob(request.build());
            var job = response.getJob();
            output.print(response, new Output.Table("ID", "QUEUE", "TYPE", "STATE", "DEDUPLICATED")
                    .row(job.getId(), job.getQueue(), job.getType(), Cells.state(job.getState()),
                            response.getDeduplicated()));
        }
        return ExitCodes.OK;
    }
}
