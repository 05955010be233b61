package dev.conveyor.worker;

import dev.conveyor.core.ClaimedJob;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;

/**
 * Continues the submitter's trace in the worker: each handler run is a span whose parent is the
 * job's stored W3C traceparent, so one trace runs from the submitting call to the job's end.
 */
final class JobTracing {
    private static final String TRACEPARENT = "traceparent";

    /** Reads a bare traceparent string as a carrier that holds only that header. */
    private static final TextMapGetter<String> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;

    JobTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.conveyor.worker");
    }

    Span start(ClaimedJob job) {
        Context parent = job.traceParent() == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), job.traceParent(), GETTER);
        return tracer.spanBuilder("job " + job.type())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("conveyor.queue", job.queue())
                .setAttribute("conveyor.job.id", job.id())
                .setAttribute("conveyor.job.type", job.type())
                .setAttribute("conveyor.job.attempt", job.attempt())
                .startSpan();
    }

    /**
     * The trace id for log lines: the span's, which without an OpenTelemetry SDK is the
     * traceparent's own (a propagated span); null when the job carries no trace.
     */
    static String traceId(Span span) {
        var context = span.getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }
}
