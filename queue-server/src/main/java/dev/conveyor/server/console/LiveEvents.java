package dev.conveyor.server.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.conveyor.core.JobEventRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Live updates for the pages, as Server-Sent Events, fed by the server's one event tail.
 *
 * <p>The tail reads {@code job_event} once per server and hands each event to {@link #accept}; this
 * class fans it out to the open streams, so a thousand browsers cost no more database reads than
 * one. A stream asks either for the events of some jobs (a job's page, a rack's devices) or for
 * state changes of every job (the queue and job lists, which refresh on them). A stream whose
 * browser does not keep up is closed rather than let its backlog grow; the page's script opens a
 * new one and reloads what it shows.
 *
 * <p>Threads: {@link #accept} runs on the tail's thread and never blocks; each stream is written by
 * the HTTP server's (virtual) thread that serves it.
 */
final class LiveEvents implements Consumer<JobEventRecord>, AutoCloseable {
    static final int MAX_STREAMS = 500;
    static final int MAX_JOBS_PER_STREAM = 1000;
    private static final int BUFFER = 256;
    private static final long KEEPALIVE_SECONDS = 15;
    private static final JobEventRecord END = new JobEventRecord(-1, -1, null, null, "", null, null, null, null, null,
            null, 0);

    private final ObjectMapper json = new ObjectMapper();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

    /** One browser's stream: the jobs it follows (empty: state changes of all) and its backlog. */
    private record Stream(Set<Long> jobs, BlockingQueue<JobEventRecord> backlog) {
        boolean wants(JobEventRecord event) {
            return jobs.isEmpty() ? JobEventRecord.STATE.equals(event.kind()) : jobs.contains(event.jobId());
        }

        void end() {
            backlog.clear();
            backlog.offer(END);
        }
    }

    @Override
    public void accept(JobEventRecord event) {
        for (Stream stream : streams) {
            if (stream.wants(event) && !stream.backlog().offer(event)) {
                streams.remove(stream);
                stream.end();
            }
        }
    }

    int openStreams() {
        return streams.size();
    }

    /** Serves one stream until the browser leaves, falls behind, or the server stops. */
    void serve(HttpExchange exchange, Set<Long> jobs) throws IOException {
        if (streams.size() >= MAX_STREAMS) {
            exchange.getResponseHeaders().set("Retry-After", "10");
            exchange.sendResponseHeaders(503, -1);
            return;
        }
        Stream stream = new Stream(Set.copyOf(jobs), new ArrayBlockingQueue<>(BUFFER));
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        streams.add(stream);
        try (OutputStream out = exchange.getResponseBody()) {
            write(out, "retry: 2000\n: connected\n\n");
            while (true) {
                JobEventRecord event = stream.backlog().poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                if (event == END) {
                    return;
                }
                write(out, event == null ? ": keepalive\n\n" : "event: job\ndata: " + toJson(event) + "\n\n");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException browserLeft) {
            // The browser closed the page or the connection: nothing to tell anyone.
        } finally {
            streams.remove(stream);
        }
    }

    private String toJson(JobEventRecord event) {
        ObjectNode node = json.createObjectNode()
                .put("id", event.id())
                .put("jobId", event.jobId())
                .put("kind", event.kind())
                .put("at", Format.INSTANCE.time(event.at()))
                .put("attempt", event.attempt());
        node.put("state", event.state() == null ? null : event.state().name());
        node.put("step", event.step());
        node.put("statusCode", event.statusCode());
        node.put("command", event.command());
        node.put("message", event.message());
        node.put("worker", event.worker());
        return node.toString();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends every stream: the browsers reconnect to a server that is up. */
    @Override
    public void close() {
        streams.forEach(Stream::end);
        streams.clear();
    }
}
